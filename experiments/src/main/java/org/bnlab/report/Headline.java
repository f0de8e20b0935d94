package org.bnlab.report;

import org.bnlab.report.stats.IntervalText;
import org.bnlab.report.stats.SampleSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's answer in a few lines: for each contrast (and setting of the other axes), both sides' mean final test
 * accuracy with its sd and n, and the difference with its 95% interval, saying plainly when the interval includes
 * zero; then the arms in which runs diverged. Without contrasts, each arm's mean. A difference is never stated
 * without its interval (He et al.'s single-run numbers are what this avoids).
 */
final class Headline {

    private Headline() {
    }

    static List<String> lines(ResultsFolder folder, List<ContrastTable.Row> contrasts) {
        List<String> lines = new ArrayList<>();
        for (ContrastTable.Row row : contrasts) {
            String label = row.contrast().name() + (row.setting().isEmpty() ? "" : " (" + row.setting() + ")");
            String metric = row.contrast().metric();
            boolean accuracy = metric.equals(org.bnlab.experiment.Contrast.FINAL_ACCURACY);
            String named = label + (accuracy ? "" : " [" + metric + "]");
            if (row.t().n() == 0 || row.b().n() == 0) {
                boolean treatment = row.t().n() == 0;
                String side = treatment ? "treatment" : "baseline";
                int without = treatment ? row.treatmentWithout() : row.baselineWithout();
                long diverged = treatment ? row.treatmentDiverged() : row.baselineDiverged();
                lines.add(named + ": no comparison, " + (without == 0
                        ? "every " + side + " run diverged before finishing an epoch"
                        : "no " + side + " run has a value: " + without + " " + ContrastTable.whyWithout(metric)
                        + (diverged > 0 ? ", " + diverged + " diverged" : "")));
                continue;
            }
            int without = row.treatmentWithout() + row.baselineWithout();
            lines.add(named + ": " + meanSd(row.t(), metric) + " vs " + meanSd(row.b(), metric) + ";\n    difference "
                    + IntervalText.describe(row.difference(), unit(metric))
                    + (without == 0 ? "" : "; without a value, " + without + " run" + (without == 1 ? "" : "s")
                    + ": " + ContrastTable.whyWithout(metric)));
        }
        for (org.bnlab.experiment.Contrast declared : folder.contrasts()) {
            if (contrasts.stream().noneMatch(row -> row.contrast().equals(declared))) {
                lines.add(declared.name() + ": nothing compared (no treatment and baseline runs that agree on the "
                        + "other settings that keep runs apart: " + (folder.arms().isEmpty() ? "none"
                        : String.join(", ", folder.arms())) + ")");
            }
        }
        if (contrasts.isEmpty()) {
            for (Map.Entry<String, List<ReportRun>> arm : folder.byArm().entrySet()) {
                SampleSummary s = SampleSummary.of(arm.getValue().stream().mapToDouble(ReportRun::finalPercent)
                        .toArray());
                lines.add(arm.getKey() + ": " + (s.n() == 0 ? "no final accuracy" : meanSd(s)));
            }
        }
        for (Map.Entry<String, List<ReportRun>> arm : folder.byArm().entrySet()) {
            List<ReportRun> diverged = arm.getValue().stream().filter(ReportRun::diverged).toList();
            if (!diverged.isEmpty()) {
                List<String> epochs = diverged.stream()
                        .map(r -> String.valueOf(r.finished().summary().divergedEpoch())).toList();
                lines.add(arm.getKey() + ": diverged in " + diverged.size() + " of " + arm.getValue().size()
                        + " runs (epoch " + String.join(", ", epochs) + ")");
            }
        }
        return lines;
    }

    /** The unit of a difference in {@code metric}. */
    private static String unit(String metric) {
        return metric.endsWith("_pct") ? "points" : metric.endsWith("_loss") ? "nats"
                : metric.startsWith("epochs") ? "epochs" : "steps";
    }

    /** {@code 40.1% (sd 1.2, n = 3)}, or {@code 1.62 (sd 0.04, n = 3)} for a metric that is not a percentage. */
    private static String meanSd(SampleSummary s, String metric) {
        if (!metric.endsWith("_pct")) {
            int digits = metric.endsWith("_loss") ? 3 : 1;
            return Numbers.fixed(s.mean(), digits) + " (" + (s.n() > 1 ? "sd " + Numbers.fixed(s.sd(), digits)
                    + ", " : "") + "n = " + s.n() + ")";
        }
        return meanSd(s);
    }

    /** {@code 40.1% (sd 1.2, n = 3)}. */
    private static String meanSd(SampleSummary s) {
        return Numbers.fixed(s.mean(), 1) + "% (" + (s.n() > 1 ? "sd " + Numbers.fixed(s.sd(), 1) + ", " : "")
                + "n = " + s.n() + ")";
    }
}
