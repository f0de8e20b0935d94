package org.bnlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.results.ProbeCsv;
import org.bnlab.results.ProbeRow;
import org.bnlab.results.RunFolder;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code probe-summary.csv} from hand-made probe files: per arm and layer, means over the arm's runs at the first
 * snapshot and at the last one every run has; a NaN in one run's value gives an empty cell, not the other runs' mean.
 */
class ProbeSummaryTest {

    @TempDir
    Path tmp;

    /** A probe row whose fields are {@code base}, {@code base + 1}, ...; BN fields NaN without BN. */
    private static ProbeRow row(long iteration, String layer, double base, boolean bn) {
        return new ProbeRow(1, iteration, layer, "conv", layer, base, base + 1, base + 2, 0.0, 1.0, base + 4,
                base + 3, bn ? "bn" : ProbeRow.NO_BN, bn ? base + 5 : Double.NaN, bn ? base + 6 : Double.NaN,
                bn ? 0.0 : Double.NaN);
    }

    private static PlannedRun run(ExperimentPlan plan, String normalization, String init, int seed) {
        return plan.runs().stream().filter(r -> r.assignments().get("model.normalization").equals(normalization)
                && r.assignments().get("model.init").equals(init) && r.spec().seed() == seed).findFirst()
                .orElseThrow();
    }

    private static void probe(Path dir, PlannedRun run, List<ProbeRow> rows) {
        ProbeCsv.write(RunFolder.at(dir.resolve(run.id())).probeFile(), rows);
    }

    @Test
    void meansOverTheArmsRunsAtTheFirstAndTheLastCommonSnapshot() {
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(Home.defaultExperiment()));
        Path dir = tmp.resolve("bn-vs-nobn");
        PlanFixtures.experiment(dir, plan);
        PlannedRun bn1 = run(plan, "batchnorm", "he", 1);
        PlannedRun bn2 = run(plan, "batchnorm", "he", 2);
        PlannedRun zero1 = run(plan, "none", "zero-residual", 1);
        PlanFixtures.completed(dir, plan, bn1, 0.4, 0.5);
        PlanFixtures.completed(dir, plan, bn2, 0.4, 0.5);
        PlanFixtures.completed(dir, plan, zero1, 0.3, 0.4);
        probe(dir, bn1, List.of(row(0, "stem_conv", 1, true), row(0, "fc", 20, true), row(4, "stem_conv", 90, true),
                row(4, "fc", 90, true)));
        // the second run's last snapshot is at iteration 2, so the arm's last common one is; its stem's median at
        // iteration 0 is NaN
        ProbeRow nanMedian = row(0, "stem_conv", 3, true);
        nanMedian = new ProbeRow(1, 0, "stem_conv", "conv", "stem_conv", nanMedian.p15(), Double.NaN,
                nanMedian.p85(), 0.0, 1.0, nanMedian.weightNorm(), nanMedian.gradientNorm(), "bn",
                nanMedian.bnMeanGap(), nanMedian.bnVarRatio(), 0.0);
        probe(dir, bn2, List.of(nanMedian, row(0, "fc", 22, true), row(2, "stem_conv", 10, true),
                row(2, "fc", 30, true)));
        probe(dir, zero1, List.of(row(0, "stem_conv", 40, false), row(0, "fc", 50, false)));

        String csv = ProbeReport.read(dir, ResultsFolder.read(dir)).summaryCsv();

        assertEquals(String.join("\n", ProbeReport.HEADER,
                "\"normalization=batchnorm, init=he\",stem_conv,2,0,2,2.00000,,4.00000,10.0000,11.0000,12.0000,"
                        + "5.00000,6.00000,15.0000,16.0000,0.00000",
                "\"normalization=batchnorm, init=he\",fc,2,0,2,21.0000,22.0000,23.0000,30.0000,31.0000,32.0000,"
                        + "24.0000,25.0000,35.0000,36.0000,0.00000",
                "\"normalization=none, init=zero-residual\",stem_conv,1,0,0,40.0000,41.0000,42.0000,40.0000,41.0000,"
                        + "42.0000,43.0000,44.0000,,,",
                "\"normalization=none, init=zero-residual\",fc,1,0,0,50.0000,51.0000,52.0000,50.0000,51.0000,"
                        + "52.0000,53.0000,54.0000,,,") + "\n", csv);
    }
}
