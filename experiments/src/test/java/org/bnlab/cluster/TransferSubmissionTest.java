package org.bnlab.cluster;

import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.testing.TinyExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bnlab submit} of runs that start from another run ({@code model.init_from}) without a cluster: sbatch and
 * squeue are stand-ins that record their arguments. The sources go into the first array; the runs that start from
 * them into a second, submitted with {@code afterok} on exactly their sources' tasks; the report after both.
 */
class TransferSubmissionTest {

    @TempDir
    Path tmp;

    /** Per seed: a source at learning rate 0.05 and a run that starts from its BN layers; two seeds. */
    private ExperimentPlan plan() {
        Map<String, List<String>> arms = new LinkedHashMap<>();
        arms.put("model.init_from", List.of("{match: {train.learning_rate: 0.05}, parameters: batchnorm}", "null"));
        arms.put("train.learning_rate", List.of("0.02", "0.05"));
        return ExperimentPlan.expand(TinyExperiment.builder("transfer").zip(arms).seeds(1, 2).build());
    }

    private Path standIn(String name, String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        assertTrue(file.toFile().setExecutable(true));
        return bin;
    }

    @Test
    void runsThatStartFromAnotherGoInASecondArrayAfterTheirSourcesTasks() throws IOException {
        ExperimentPlan plan = plan();
        Path out = tmp.resolve("results");
        GridSubmission submission = GridSubmission.prepare(plan, out, tmp, new GridSubmission.Launch(
                tmp.resolve("bnlab"), tmp.resolve("transfer.yaml"), List.of(), List.of(), null),
                SbatchOptions.NONE);
        List<PlannedRun> sources = plan.runs().stream().filter(r -> r.source() == null).toList();
        List<PlannedRun> targets = plan.runs().stream().filter(r -> r.source() != null).toList();
        assertEquals(2, sources.size());
        assertEquals(1, submission.dependentArrays().size());
        assertEquals(targets, submission.dependentArrays().get(0).runs());
        assertTrue(submission.arrayScript().text().contains("#SBATCH --array=" + SbatchScript.indexList(
                sources.stream().map(PlannedRun::index).toList())), submission.arrayScript().text());

        Path calls = tmp.resolve("sbatch-calls");
        Path bin = standIn("sbatch", "echo \"$*\" >> '" + calls + "'\n"
                + "n=$(wc -l < '" + calls + "'); echo $((100 + n))");
        standIn("squeue", "echo '101_0|101|0|PENDING|None'");
        Submission submitted = submission.submit(new Slurm(Map.of("PATH", bin + ":/usr/bin:/bin")));
        List<String> lines = Files.readAllLines(calls);
        assertEquals(3, lines.size(), lines.toString());
        // sbatch reads each script as it was written before any job went in (see GridSubmission.submit)
        String pending = GridSubmission.SUBMITTING_SUFFIX;
        assertEquals("--parsable " + submission.arrayScriptFile() + pending, lines.get(0));
        String afterok = "--dependency=afterok:" + String.join(":", targets.stream()
                .map(t -> "101_" + t.source().index()).toList());
        assertEquals("--parsable " + afterok + " --kill-on-invalid-dep=yes " + submission.dependentScriptFile(1)
                + pending, lines.get(1));
        assertEquals("--parsable --dependency=afterany:101:102 " + submission.reportScriptFile() + pending,
                lines.get(2));
        assertEquals("101", submitted.arrayJob());
        assertEquals("103", submitted.reportJob());
        assertEquals(List.of(new Submission.LaterArray("102", targets.stream().map(PlannedRun::index).toList())),
                submitted.laterArrays());
        Submission recorded = Submission.last(out).orElseThrow();
        assertEquals(submitted, recorded, "the later array is recorded in submissions.jsonl");
        assertEquals(out.resolve("slurm").resolve("102_" + targets.get(0).index() + ".out"),
                recorded.taskLog(out, targets.get(0).index()));
        assertEquals(out.resolve("slurm").resolve("101_" + sources.get(0).index() + ".out"),
                recorded.taskLog(out, sources.get(0).index()));
        assertTrue(Files.readString(submission.dependentScriptFile(1)).contains("#SBATCH --array=" + SbatchScript
                .indexList(targets.stream().map(PlannedRun::index).toList())));
    }

    @Test
    void aSourceFinishedBeforeTheSubmissionIsNoDependency() {
        ExperimentPlan plan = plan();
        Path out = tmp.resolve("results");
        for (PlannedRun source : plan.runs().stream().filter(r -> r.source() == null).toList()) {
            org.bnlab.results.RunFolder.at(out.resolve(source.id())).writeSummary(new org.bnlab.results.RunSummary(
                    source.id(), org.bnlab.results.RunStatus.COMPLETED, null, null, "cifar10", "resnet8", 8, "A",
                    "batchnorm", "he", 0.05, 16, 2, 2, source.spec().seed(), 40, 20, 0.5, 0.5, 1.0));
        }
        GridSubmission submission = GridSubmission.prepare(plan, out, tmp, new GridSubmission.Launch(
                tmp.resolve("bnlab"), tmp.resolve("transfer.yaml"), List.of(), List.of(), null),
                SbatchOptions.NONE);
        assertTrue(submission.dependentArrays().isEmpty());
        assertEquals(plan.runs().stream().filter(r -> r.source() != null).toList(), submission.runs());
    }
}
