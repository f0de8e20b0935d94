package org.bnlab.cli;

import org.bnlab.cluster.GridSubmission;
import org.bnlab.cluster.SbatchOptions;
import org.bnlab.cluster.Submission;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.results.RunLock;
import org.bnlab.testing.Backend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bnlab submit} without a cluster: the scripts it writes (dry run), which runs a resubmission takes, bad
 * options, and the two things its array tasks rely on in {@code bnlab run --index}: a run locked elsewhere is no
 * error, and a plan changed since the submission is refused. The cluster itself: {@link SubmitClusterTest}.
 */
@ExtendWith(Backend.class)
class SubmitCommandTest {

    @TempDir
    Path tmp;

    private Path data;
    private Path file;
    private Path out;
    private Path launcher;
    private ExperimentPlan plan;

    @BeforeEach
    void experiment() throws IOException {
        data = TinyGrid.writeData(tmp.resolve("data"));
        file = TinyGrid.threeRuns(tmp, data);
        out = tmp.resolve("results");
        launcher = Files.writeString(tmp.resolve("launcher"), "#!/bin/bash\nexit 1\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        plan = TinyGrid.plan(file);
    }

    private TinyGrid.Outcome submit(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("submit", file.toString(), "--out", out.toString(),
                "--launcher", launcher.toString()));
        args.addAll(List.of(extra));
        return TinyGrid.bnlab(args.toArray(String[]::new));
    }

    private String id(int index) {
        return plan.runs().get(index).id();
    }

    @Test
    void dryRunPrintsBothScriptsAndWritesNothing() {
        TinyGrid.Outcome outcome = submit("--partition", "gpu", "--time", "02:00:00", "--cpus-per-task", "4",
                "--gpus-per-task", "1", "--mem", "16G", "--throttle", "2", "--account", "lab",
                "--sbatch-line", "--qos=long", "--java-opts", "-Xmx12g -Dx=1", "--set", "train.epochs=1",
                "--dry-run");
        assertEquals(0, outcome.status(), outcome.err());
        String fingerprint = ExperimentPlan.expand(plan.experiment(), List.of("train.epochs=1"), List.of())
                .fingerprint();
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals("""
                # %1$s/slurm/array.sbatch (dry run: nothing written or submitted; 3 of 3 runs unfinished)
                #!/bin/bash
                # Written by bnlab: one task per array index.
                #SBATCH --partition=gpu
                #SBATCH --time=02:00:00
                #SBATCH --cpus-per-task=4
                #SBATCH --ntasks=1
                #SBATCH --gpus-per-task=1
                #SBATCH --mem=16G
                #SBATCH --account=lab
                #SBATCH --job-name=bnlab-tiny
                #SBATCH --qos=long
                #SBATCH --array=0-2%%2
                #SBATCH --output=%1$s/slurm/%%A_%%a.out
                set -euo pipefail
                cd %2$s
                export OMP_NUM_THREADS=4
                export BNLAB_JAVA_OPTS='-Xmx12g -Dx=1'
                exec %3$s run %4$s --set train.epochs=1 --out %1$s --index "$SLURM_ARRAY_TASK_ID" --expect-plan %5$s --quiet --no-report

                # %1$s/slurm/report.sbatch (submitted with --dependency=afterany:<the array's job id>)
                #!/bin/bash
                # Written by bnlab.
                #SBATCH --partition=gpu
                #SBATCH --time=02:00:00
                #SBATCH --mem=16G
                #SBATCH --account=lab
                #SBATCH --job-name=bnlab-tiny-report
                #SBATCH --qos=long
                #SBATCH --output=%1$s/slurm/%%j.out
                set -euo pipefail
                cd %2$s
                export BNLAB_JAVA_OPTS='-Xmx12g -Dx=1'
                exec %3$s report %1$s
                """.formatted(out, cwd, launcher, file, fingerprint), outcome.out());
        assertFalse(Files.exists(out), "a dry run writes nothing");
    }

    @Test
    void resubmissionTakesOnlyTheUnfinishedRuns() {
        TinyGrid.finish(out, id(1));
        TinyGrid.Outcome partly = submit("--dry-run");
        assertEquals(0, partly.status(), partly.err());
        assertTrue(partly.out().contains("2 of 3 runs unfinished"), partly.out());
        assertTrue(partly.out().contains("#SBATCH --array=0,2\n"), partly.out());

        TinyGrid.finish(out, id(0));
        TinyGrid.finish(out, id(2));
        TinyGrid.Outcome done = submit();
        assertEquals(0, done.status(), done.err());
        assertEquals("nothing to submit: all 3 runs of tiny are finished in " + out + "\n", done.out());
        assertFalse(Files.exists(out.resolve("slurm")), "nothing written when nothing is submitted");
    }

    @Test
    void aRunningRunIsSubmittedAndNamed() {
        Optional<RunLock> lock = RunLock.tryAcquire(out.resolve(id(2)));
        assertTrue(lock.isPresent());
        try (RunLock held = lock.get()) {
            GridSubmission submission = GridSubmission.prepare(plan, out, tmp, new GridSubmission.Launch(launcher,
                    file, List.of(), List.of(), null), SbatchOptions.NONE);
            // Its holder may die before the task starts: the task then takes the run over, else exits at once.
            assertEquals(List.of(0, 1, 2), submission.runs().stream().map(PlannedRun::index).toList());
            assertEquals(List.of(2), submission.running());
        }
    }

    @Test
    void indicesAtOrAboveMaxArraySizeGoIntoFurtherArraysNumberedFromZero() {
        // a cluster whose MaxArraySize is 2: task indices 0 and 1 only
        GridSubmission submission = GridSubmission.prepare(plan, out, tmp, new GridSubmission.Launch(launcher,
                file, List.of(), List.of(), null), SbatchOptions.NONE, 2);
        assertTrue(submission.arrayScript().text().contains("#SBATCH --array=0-1\n"), submission.arrayScript().text());
        assertTrue(submission.arrayScript().text().contains("--index \"$SLURM_ARRAY_TASK_ID\""));
        assertEquals(1, submission.dependentArrays().size());
        GridSubmission.Wave rest = submission.dependentArrays().get(0);
        assertEquals(List.of(2), rest.runs().stream().map(PlannedRun::index).toList());
        assertEquals(2, rest.offset());
        assertTrue(rest.script().text().contains("#SBATCH --array=0\n"), rest.script().text());
        assertTrue(rest.script().text().contains("--index \"$((SLURM_ARRAY_TASK_ID + 2))\""), rest.script().text());
        assertEquals(List.of(), submission.dependencyOptions(1, List.of("41", "42")), "no source to wait for");

        Submission recorded = new Submission("t", "tiny", plan.fingerprint(), "41", "43", List.of(0, 1, 2),
                List.of(id(0), id(1), id(2)), submission.taskCommand(),
                List.of(new Submission.LaterArray("42", List.of(2), 2)));
        assertEquals(out.resolve("slurm/42_0.out"), recorded.taskLog(out, 2), "the log of index 2 is task 0's");
        assertEquals(out.resolve("slurm/41_1.out"), recorded.taskLog(out, 1));
    }

    /**
     * Stand-ins for Slurm's clients on a PATH of their own: sbatch takes the first {@code accepted} jobs (ids from
     * 41) and refuses the next; squeue knows every job; scancel writes what it cancels to {@code scancel.log}.
     */
    private org.bnlab.cluster.Slurm slurmAccepting(int accepted) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path count = tmp.resolve("sbatch.count");
        Files.writeString(count, "0");
        standIn(bin.resolve("sbatch"), """
                n=$(cat %1$s); echo $((n + 1)) > %1$s
                if (( n >= %2$d )); then
                  echo 'sbatch: error: Batch job submission failed: Job violates accounting/QOS policy' >&2; exit 1
                fi
                echo $((41 + n))""".formatted(count, accepted));
        standIn(bin.resolve("squeue"), """
                for a in "$@"; do [[ $a == --jobs=* ]] && id=${a#--jobs=}; done
                echo "${id}_0|$id|0|PENDING|None\"""");
        standIn(bin.resolve("scancel"), "echo \"$*\" >> " + tmp.resolve("scancel.log"));
        return new org.bnlab.cluster.Slurm(java.util.Map.of("PATH", bin + ":/usr/bin:/bin"));
    }

    private static void standIn(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Three runs on a cluster whose MaxArraySize is 2: two arrays (indices 0-1; 2 as task 0), then the report. */
    private GridSubmission twoArrays() {
        return GridSubmission.prepare(plan, out, tmp, new GridSubmission.Launch(launcher, file, List.of(), List.of(),
                null), SbatchOptions.NONE, 2);
    }

    /** The names in the results folder's slurm/, sorted. */
    private List<String> slurmFolder() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(out.resolve("slurm"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSubmissionRefusedPartWayIsWithdrawnAndLeavesNothingThatLooksSubmitted() throws IOException {
        // the second array is refused: the first, already in, is cancelled
        org.bnlab.cluster.SlurmException refused = assertThrows(org.bnlab.cluster.SlurmException.class,
                () -> twoArrays().submit(slurmAccepting(1)));
        assertTrue(refused.getMessage().startsWith("sbatch --parsable " + out.resolve("slurm/array-1.sbatch"
                + GridSubmission.SUBMITTING_SUFFIX) + " failed (exit 1): sbatch: error: Batch job submission failed: "
                + "Job violates accounting/QOS policy; so array job 41 of this submission, which had gone in, was "
                + "cancelled (scancel): nothing was submitted or recorded"), refused.getMessage());
        assertEquals(List.of("41"), Files.readAllLines(tmp.resolve("scancel.log")));
        assertEquals(List.of(), slurmFolder(), "no script, no record");

        // a submission that went in whole, then one whose report job is refused: both its arrays are cancelled,
        // and the first submission's scripts and record are as they were
        Submission first = twoArrays().submit(slurmAccepting(3));
        assertEquals("41", first.arrayJob());
        assertEquals(List.of(new Submission.LaterArray("42", List.of(2), 2)), first.laterArrays());
        assertEquals("43", first.reportJob());
        List<String> kept = slurmFolder();
        assertEquals(List.of("array-1.sbatch", "array.sbatch", "report.sbatch", "submissions.jsonl"), kept);
        String arrayScript = Files.readString(out.resolve("slurm/array.sbatch"));
        String record = Files.readString(Submission.file(out));
        Files.delete(tmp.resolve("scancel.log"));

        org.bnlab.cluster.SlurmException report = assertThrows(org.bnlab.cluster.SlurmException.class,
                () -> GridSubmission.prepare(plan, out, tmp, new GridSubmission.Launch(launcher, file,
                        List.of("train.epochs=1"), List.of(), null), SbatchOptions.NONE, 2)
                        .submit(slurmAccepting(2)));
        assertTrue(report.getMessage().contains("report.sbatch" + GridSubmission.SUBMITTING_SUFFIX + " failed")
                && report.getMessage().contains("; so array jobs 41, 42 of this submission, which had gone in, were "
                + "cancelled"), report.getMessage());
        assertEquals(List.of("42", "41"), Files.readAllLines(tmp.resolve("scancel.log")), "the later one first");
        assertEquals(kept, slurmFolder());
        assertEquals(arrayScript, Files.readString(out.resolve("slurm/array.sbatch")));
        assertEquals(record, Files.readString(Submission.file(out)), "nothing recorded");
    }

    @Test
    void aCancelThatFailsTooSaysWhatToCancel() throws IOException {
        org.bnlab.cluster.Slurm slurm = slurmAccepting(1);
        standIn(tmp.resolve("bin/scancel"), "echo 'scancel: error: Unable to contact slurm controller' >&2; exit 1");
        org.bnlab.cluster.SlurmException refused = assertThrows(org.bnlab.cluster.SlurmException.class,
                () -> twoArrays().submit(slurm));
        assertTrue(refused.getMessage().endsWith("; array job 41 of this submission had gone in, and cancelling "
                + "failed for 41 (scancel 41 failed (exit 1): scancel: error: Unable to contact slurm controller): "
                + "cancel them yourself (scancel 41); nothing was recorded"), refused.getMessage());
        assertEquals(List.of(), slurmFolder());
    }

    @Test
    void aSubmissionOfFewerArraysDropsTheLastOnesLaterScript() throws IOException {
        twoArrays().submit(slurmAccepting(3));
        assertTrue(Files.exists(out.resolve("slurm/array-1.sbatch")));
        TinyGrid.finish(out, id(2));
        Submission second = twoArrays().submit(slurmAccepting(2));
        assertEquals(List.of(), second.laterArrays());
        assertEquals(List.of("array.sbatch", "report.sbatch", "submissions.jsonl"), slurmFolder(),
                "array-1.sbatch was the first submission's");
    }

    @Test
    void theTaskCommandRecreatesTheSubmittedPlan() {
        GridSubmission submission = GridSubmission.prepare(plan, out, tmp, new GridSubmission.Launch(launcher,
                file, List.of("train.epochs=2"), List.of("seed=1,2"), "-Xmx1g"), SbatchOptions.NONE);
        assertEquals(List.of(launcher.toString(), "run", file.toString(), "--set", "train.epochs=2", "--grid",
                "seed=1,2", "--out", out.toString(), "--index", "{task}", "--expect-plan", plan.fingerprint(),
                "--quiet", "--no-report"), submission.taskCommand());
        assertEquals(plan.fingerprint(), TinyGrid.plan(file).fingerprint(), "a plan's fingerprint is stable");
    }

    @Test
    void badInputIsOneLineAndSubmitsNothing() {
        assertOneLine(submit("--time", "0", "--dry-run"), "time limit must be minutes (at least 1)");
        assertOneLine(submit("--throttle", "0", "--dry-run"), "array throttle (%K) must be at least 1, got 0");
        assertOneLine(submit("--sbatch-line", "--array=1-3", "--dry-run"), "sets --array or --output");
        assertOneLine(TinyGrid.bnlab("submit", file.toString(), "--out", out.toString(), "--launcher",
                tmp.resolve("nothing").toString()), "is not an executable file");
        assertOneLine(submit("--slurm-conf", tmp.resolve("no.conf").toString()), "no.conf: no such file");
        assertOneLine(TinyGrid.bnlab("submit", tmp.resolve("none.yaml").toString()), "no experiment file");
        assertFalse(Files.exists(out), "nothing written for bad input");
    }

    @Test
    void aTaskRefusesAPlanChangedSinceTheSubmission() {
        TinyGrid.Outcome outcome = TinyGrid.bnlab("run", file.toString(), "--out", out.toString(), "--index", "0",
                "--expect-plan", "0123abcd");
        assertOneLine(outcome, "experiment tiny now expands to plan " + plan.fingerprint() + ", not 0123abcd as "
                + "submitted");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aTaskWhoseRunIsLockedElsewhereExitsCleanly() throws IOException {
        Path runDir = Files.createDirectories(out.resolve(id(0)));
        // a live holder on another node (its lock refreshed just now)
        Files.writeString(runDir.resolve(RunLock.FILE), "node17 4242 2024-01-01T00:00:00Z\n");
        TinyGrid.Outcome outcome = TinyGrid.bnlab("run", file.toString(), "--out", out.toString(), "--index", "0",
                "--expect-plan", plan.fingerprint(), "--quiet", "--no-report");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertTrue(outcome.out().contains("locked by node17 pid 4242 since 2024-01-01T00:00:00Z, left to it"),
                outcome.out());
        assertFalse(Files.exists(runDir.resolve("summary.json")), "the run was left to its holder");
        assertTrue(Files.exists(runDir.resolve(RunLock.FILE)), "and so was its lock");
    }

    @Test
    void statusShowsEachRunAndWhyTheLastSubmissionsTasksEnded() throws IOException {
        org.bnlab.experiment.ExperimentRunner.prepare(plan, out);
        TinyGrid.finish(out, id(1));
        new org.bnlab.cluster.Submission("2024-05-01T12:00:00Z", "tiny", plan.fingerprint(), "77", "78",
                List.of(0, 2), List.of(id(0), id(2)), List.of("bnlab", "run")).appendTo(out);
        Files.writeString(out.resolve("slurm/77_0.out"), "experiment tiny: 1 run into " + out + "\n"
                + "bnlab: error: no Imagenette data in /data: expected imagenette2-224/\n");
        Files.writeString(out.resolve("slurm/77_2.out"), "[run 1/1] " + id(2) + ": starting\n");
        try (RunLock running = RunLock.tryAcquire(out.resolve(id(2))).orElseThrow()) {
            TinyGrid.Outcome status = TinyGrid.bnlab("status", out.toString());
            assertEquals(0, status.status(), status.err());
            List<String> lines = status.out().lines().toList();
            assertTrue(lines.get(1).matches(" +0  " + java.util.regex.Pattern.quote(id(0)) + " +0  pending"),
                    status.out());
            assertTrue(lines.get(2).matches(" +1  " + java.util.regex.Pattern.quote(id(1)) + " +1  completed"),
                    status.out());
            assertTrue(lines.get(3).contains("running (" + org.bnlab.results.RunLock.holder(out.resolve(id(2)))
                    .orElseThrow() + ")"), status.out());
            assertEquals(List.of("3 runs: 1 completed, 1 running, 1 pending",
                    "last submission 2024-05-01T12:00:00Z: array job 77 (indices 0,2), report job 78; logs: "
                            + out.resolve("slurm/77_<index>.out"),
                    "  task 0: bnlab: error: no Imagenette data in /data: expected imagenette2-224/ (slurm/77_0.out)"),
                    lines.subList(4, lines.size()), "task 2 runs: no error line for it");
        }
    }

    private static void assertOneLine(TinyGrid.Outcome outcome, String expected) {
        assertEquals(Bnlab.BAD_INPUT, outcome.status(), outcome.out() + outcome.err());
        List<String> lines = outcome.err().lines().filter(l -> !l.startsWith("(see: bnlab")).toList();
        assertEquals(1, lines.size(), outcome.err());
        assertTrue(lines.get(0).startsWith("bnlab: error: ") && lines.get(0).contains(expected),
                "expected '" + expected + "' in: " + outcome.err());
    }
}
