package org.bnlab.cli;

import org.bnlab.cluster.JobState;
import org.bnlab.cluster.ShellQuote;
import org.bnlab.cluster.Slurm;
import org.bnlab.cluster.SlurmCluster;
import org.bnlab.cluster.SlurmJob;
import org.bnlab.cluster.Submission;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.results.RunFolder;
import org.bnlab.testing.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bnlab submit} against a real single-node Slurm ({@code scripts/slurm-cluster}, through {@link SlurmCluster})
 * whose {@code MaxArraySize} is {@value #MAX_ARRAY_SIZE}: a four-run grid of the tiny experiment goes in as two job
 * arrays (indices 0-2, and index 3 as task 0 of the second) plus a report job after both; one task is cancelled while it
 * trains and one fails (its data set is missing); the report job still runs after them; a resubmission takes only
 * those two, the cancelled run resumes from its checkpoint, and the report then equals, number for number, the one a
 * local {@code bnlab run} of the same experiment produces. Skipped where Slurm cannot run, failed instead when
 * {@code CI} is set. About 2 minutes on two busy cores: each task is a fresh JVM that loads ND4J.
 *
 * <p>The tasks run this build's classes: {@code scripts/bnlab} needs the packaged jar, which {@code mvn test} has not
 * built yet, so the submissions name a launcher script that starts the CLI on this test's class path with the flags
 * {@code scripts/bnlab} passes.
 */
@ExtendWith(Backend.class)
class SubmitClusterTest {

    /**
     * Longest wait for any one thing, a guard against a hang only (normally a small fraction of it, but a loaded
     * shared machine can be slow). A timeout fails with the states seen last.
     */
    private static final Duration WAIT = Duration.ofMinutes(15);
    /** The cluster's array task indices go from 0 to 2: the grid's index 3 needs an array of its own. */
    private static final int MAX_ARRAY_SIZE = 3;
    /** Every run trains this many epochs, so that run 0 is still training when it is cancelled after its first. */
    private static final int EPOCHS = 3;
    /** Columns that depend on the machine's speed, not on the computation. */
    private static final List<String> TIMING = List.of("epoch_seconds", "elapsed_seconds",
            "train_images_per_second", "seconds_to_target");

    private static SlurmCluster cluster;

    @TempDir
    static Path tmp;

    private Slurm slurm;
    private final long started = System.nanoTime();

    @BeforeAll
    static void startCluster() throws IOException, InterruptedException {
        cluster = SlurmCluster.startWithMaxArraySize(MAX_ARRAY_SIZE);
    }

    @BeforeEach
    void client() {
        slurm = cluster.client();
    }

    @AfterAll
    static void stopCluster() throws IOException, InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Four runs of {@value #EPOCHS} epochs: 0 on three times the training images of the others, so that its
     * epochs are long enough to cancel it in the middle of one; 3 asks for Imagenette, which is not in the data
     * folder (its task fails, as a task whose data is missing on a cluster). Not {@code train.epochs} as an axis:
     * the report cannot show it yet (its column would be called {@code epochs}, as the outcome column is).
     */
    private static Path fourRuns(Path data) throws IOException {
        // the zip varies the data set and the training images, so the base leaves them out (set and varied is refused)
        String base = TinyGrid.base("grid", data, EPOCHS).replace("dataset: folder, ", "")
                .replace("train_per_class: 20, ", "");
        return Files.writeString(tmp.resolve("grid.yaml"), base + """
                zip:
                  - model.normalization: [batchnorm, none, none, batchnorm]
                    model.init: [he, zero-residual, he, he]
                    data.train_per_class: [%d, 20, 20, 20]
                    data.dataset: [folder, folder, folder, imagenette]
                """.formatted(TinyGrid.TRAIN_IMAGES_PER_CLASS));
    }

    /** Runs the CLI as scripts/bnlab does, on this JVM's class path (see the class comment). */
    private static Path launcher() throws IOException {
        Path root = SlurmCluster.repositoryRoot();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/bin/bash\nexec " + ShellQuote.join(List.of(java,
                "-Dorg.eclipse.deeplearning4j.helpers.disable=false",
                "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2", "-Dbnlab.home=" + root))
                + " ${BNLAB_JAVA_OPTS:-} " + ShellQuote.join(List.of("-cp", System.getProperty("java.class.path"),
                Bnlab.class.getName())) + " \"$@\"\n";
        Path file = Files.writeString(tmp.resolve("bnlab-launcher"), script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private String[] submit(Path file, Path results, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("submit", file.toString(), "--out", results.toString(),
                "--launcher", launcher().toString(), "--slurm-conf", cluster.environment().get("SLURM_CONF"),
                "--time", "10", "--java-opts", "-Xmx1g"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aGridRunsAsAnArrayThenResumesWhatWasCancelledAndMatchesALocalRun() throws Exception {
        Path data = TinyGrid.writeData(tmp.resolve("data"));
        Path file = fourRuns(data);
        ExperimentPlan plan = TinyGrid.plan(file);
        Path results = tmp.resolve("on-slurm");
        Path local = tmp.resolve("local");

        TinyGrid.Outcome submitted = TinyGrid.bnlab(submit(file, results));
        assertEquals(0, submitted.status(), submitted.out() + submitted.err());
        Submission first = Submission.last(results).orElseThrow();
        milestone("submitted array " + first.arrayJob() + ", report " + first.reportJob());
        assertEquals(List.of(0, 1, 2, 3), first.indices());
        // index 3 is at the cluster's MaxArraySize: task 0 of a second array, which sbatch takes
        assertEquals(List.of(new Submission.LaterArray(first.laterArrays().get(0).job(), List.of(3), 3)),
                first.laterArrays());
        String rest = first.laterArrays().get(0).job();
        assertTrue(submitted.out().contains("array job " + first.arrayJob() + " (indices 0-2), report job "
                + first.reportJob()), submitted.out());
        assertTrue(submitted.out().contains("runs 3: array job " + rest + " (beyond the cluster's MaxArraySize"),
                submitted.out());
        // asked at once: each task is a JVM that takes seconds to start, and Slurm drops a dependency once met
        assertEquals("afterany:" + first.arrayJob() + "_*(unfulfilled),afterany:" + rest + "_*(unfulfilled)",
                dependency(first.reportJob()), "the report job waits for both arrays");

        // The same experiment run locally, in this JVM, while the cluster works on it.
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<Integer> localRun = background.submit(() -> Bnlab.execute("run", file.toString(), "--out",
                local.toString(), "--quiet", "--no-report"));
        background.shutdown();

        // Cancel run 0 once it has checkpointed an epoch (the trainer writes the checkpoint after the metrics),
        // while it trains the next.
        RunFolder slow = RunFolder.at(results.resolve(plan.runs().get(0).id()));
        awaitTrue(() -> Files.exists(slow.checkpointFile()), "run 0 has not checkpointed an epoch", first.arrayJob());
        slurm.cancel(first.arrayJob() + "_0");
        milestone("cancelled task 0 after " + slow.readMetrics().size() + " epoch(s)");

        List<SlurmJob> report = slurm.waitUntilDone(first.reportJob(), WAIT);
        milestone("first report job done");
        assertEquals(JobState.COMPLETED, report.get(0).state(), "the report runs after failed and cancelled tasks: "
                + report);
        assertEquals(Map.of(0, JobState.CANCELLED, 1, JobState.COMPLETED, 2, JobState.COMPLETED),
                slurm.arrayStates(first.arrayJob()), "run 0 must be cancelled while training (not finished: "
                        + "raise EPOCHS if it finished first), the others run");
        assertEquals(Map.of(0, JobState.FAILED), slurm.arrayStates(rest), "run 3, task 0 of the second array, fails");
        assertTrue(Files.isRegularFile(results.resolve("slurm/" + rest + "_0.out")), "its log is task 0's");
        int epochsBefore = slow.readMetrics().size();
        assertTrue(epochsBefore < EPOCHS, "cancelled after " + epochsBefore + " epochs");
        assertEquals(2, csv(results.resolve("runs.csv")).size() - 1, "the first report holds runs 1 and 2");
        assertTrue(Files.readString(first.taskLog(results, 3)).contains("bnlab: error: no Imagenette data"),
                "task 3's log says why it failed");

        int localStatus = localRun.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotEquals(0, localStatus, "locally, the missing data set stops the grid at run 3, the last");
        assertEquals(0, Bnlab.execute("report", local.toString()));
        milestone("local run and report done");

        TinyGrid.Outcome status = TinyGrid.bnlab("status", results.toString());
        assertEquals(0, status.status(), status.err());
        assertTrue(status.out().contains("4 runs: 2 completed, 1 started, 1 pending"), status.out());
        assertTrue(status.out().contains("  task 3: bnlab: error: no Imagenette data"), status.out());
        assertTrue(status.out().contains("  of which indices 3 are in array job " + rest
                + ", its task i running index 3 + i"), status.out());
        assertTrue(status.out().contains("(slurm/" + rest + "_0.out)"), "task 3's log is task 0's: " + status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("  task 0: ") && l.contains("CANCELLED")),
                status.out());

        TinyGrid.Outcome resubmitted = TinyGrid.bnlab(submit(file, results));
        assertEquals(0, resubmitted.status(), resubmitted.out() + resubmitted.err());
        Submission second = Submission.last(results).orElseThrow();
        milestone("resubmitted array " + second.arrayJob() + ", report " + second.reportJob());
        assertEquals(List.of(0, 3), second.indices(), "only the unfinished runs go in again");
        assertEquals(List.of(3), second.laterArrays().get(0).indices());
        String script = Files.readString(results.resolve("slurm/array.sbatch"));
        assertTrue(script.contains("\n#SBATCH --array=0\n") && script.contains(" --index \"$SLURM_ARRAY_TASK_ID\" "
                + "--expect-plan " + plan.fingerprint() + " "), "the kept script is the one submitted: " + script);
        String restScript = Files.readString(results.resolve("slurm/array-1.sbatch"));
        assertTrue(restScript.contains("\n#SBATCH --array=0\n") && restScript.contains(
                " --index \"$((SLURM_ARRAY_TASK_ID + 3))\" "), "the second array's task 0 is index 3: " + restScript);
        assertEquals(JobState.COMPLETED, slurm.waitUntilDone(second.reportJob(), WAIT).get(0).state());
        milestone("second report job done");
        assertEquals(Map.of(0, JobState.COMPLETED), slurm.arrayStates(second.arrayJob()));
        assertEquals(Map.of(0, JobState.FAILED), slurm.arrayStates(second.laterArrays().get(0).job()));
        String resumed = Files.readString(second.taskLog(results, 0));
        assertTrue(resumed.contains(": resuming ") && !resumed.contains(": starting"),
                "run 0 resumed from its checkpoint: " + resumed);
        assertEquals(2, Submission.readAll(results).size());

        // The numbers: every epoch of every run (the resumed one too), then the report's tables.
        for (int index = 0; index < 3; index++) {
            String id = plan.runs().get(index).id();
            assertEquals(withoutTiming(csv(local.resolve(id).resolve("metrics.csv"))),
                    withoutTiming(csv(results.resolve(id).resolve("metrics.csv"))), "metrics of run " + id);
        }
        for (String table : List.of("runs.csv", "over-seeds.csv", "contrasts.csv")) {
            assertEquals(withoutTiming(csv(local.resolve(table))), withoutTiming(csv(results.resolve(table))), table);
        }
        assertTrue(Files.isRegularFile(results.resolve("report.md")));
        assertEquals(4, csv(results.resolve("runs.csv")).size(), "runs 0, 1 and 2 in the report");

        TinyGrid.Outcome nothing = TinyGrid.bnlab(submit(file, results, "--set", "model.normalization=none"));
        assertEquals(0, nothing.status(), nothing.err());
        assertTrue(nothing.out().startsWith("nothing to submit: all 2 runs of grid are finished"), nothing.out());
        assertEquals(2, Submission.readAll(results).size(), "nothing submitted");
    }

    @Test
    void aSubmissionSlurmRejectsIsOneLine() throws IOException {
        Path file = TinyGrid.threeRuns(tmp, TinyGrid.writeData(tmp.resolve("data-rejected")));
        Path results = tmp.resolve("rejected");
        TinyGrid.Outcome outcome = TinyGrid.bnlab(submit(file, results, "--partition", "nosuch"));
        assertEquals(Bnlab.BAD_INPUT, outcome.status(), outcome.out() + outcome.err());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().startsWith("bnlab: error: sbatch --parsable ")
                && outcome.err().contains("invalid partition specified: nosuch"), outcome.err());
        assertFalse(Files.exists(Submission.file(results)), "no submission recorded");
    }

    /** The dependency slurmctld holds for a pending job ({@code squeue %E}), e.g. {@code afterany:7_*(unfulfilled)}. */
    private static String dependency(String jobId) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("squeue", "--noheader", "--jobs=" + jobId, "--format=%E")
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(cluster.environment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output.strip();
    }

    /** A milestone on standard error with the seconds since the test began: where a slow CI run spent its time. */
    private void milestone(String what) {
        System.err.printf("[SubmitClusterTest +%.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** Waits for {@code condition}, failing with the array's states after {@link #WAIT}. */
    private void awaitTrue(BooleanSupplier condition, String failure, String arrayJob) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure + " after " + WAIT.toSeconds() + " s: " + slurm.jobs(arrayJob));
            }
            Thread.sleep(100);
        }
    }

    /** A CSV file as rows of cells (none of bnlab's cells holds a comma). */
    private static List<List<String>> csv(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isEmpty())
                .map(l -> Arrays.asList(l.split(",", -1))).toList();
    }

    /** The rows without the columns named in {@link #TIMING}. */
    private static List<List<String>> withoutTiming(List<List<String>> rows) {
        List<String> header = rows.get(0);
        List<List<String>> kept = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (!TIMING.contains(header.get(i))) {
                    cells.add(row.get(i));
                }
            }
            kept.add(cells);
        }
        return kept;
    }
}
