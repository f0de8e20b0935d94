package org.bnlab.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The client and the generated scripts against a real single-node Slurm ({@code scripts/slurm-cluster}): what
 * {@code bnlab submit} relies on. Skipped where Slurm is not installed, failed instead when {@code CI} is set
 * (see {@link SlurmCluster}). About 10 s, most of it Slurm's first scheduling pass after start.
 */
class SlurmClusterTest {

    /** A guard against a hang only, never a limit on speed: a loaded shared machine can be slow. */
    private static final Duration WAIT = Duration.ofMinutes(5);

    private static SlurmCluster cluster;
    private Slurm slurm;

    /** A results folder whose name needs quoting for bash and for sbatch's own parser, and escaping for Slurm. */
    @TempDir
    static Path tmp;

    @BeforeAll
    static void startCluster() throws IOException, InterruptedException {
        cluster = SlurmCluster.start();
    }

    /** Skips each test, with the reason, where Slurm cannot run (outside CI). */
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

    private static Path bashScript(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "#!/bin/bash\nset -euo pipefail\n" + body + "\n");
    }

    @Test
    void arrayTasksRunPastAFailureAndTheReportRunsAfterAll() throws IOException, InterruptedException {
        Path results = Files.createDirectories(tmp.resolve("results 'q' $x #h 100%"));
        Path done = Files.createDirectories(results.resolve("done"));
        Path task = bashScript(results.resolve("task.sh"), """
                echo "task $1 running"
                echo "$1" > "$2/$1.txt"
                if [[ $1 == 1 ]]; then echo "task 1 fails on purpose" >&2; exit 1; fi""");
        Path report = bashScript(results.resolve("report.sh"), "ls \"$1\" > \"$2\"");

        // Throttle 1: the tasks run one after another, so task 2 starting shows task 1's failure stopped nothing.
        SbatchOptions options = SbatchOptions.builder().jobName("bnlab test array").time("00:05:00")
                .arrayThrottle(1).build();
        Path arrayScript = SbatchScript.array(options, List.of(0, 1, 2), results, tmp,
                List.of("bash", task.toString(), SbatchScript.TASK_ID, done.toString()))
                .write(results.resolve("array.sbatch"));
        Path reportScript = SbatchScript.single(SbatchOptions.builder().jobName("bnlab test report").build(),
                results, tmp, List.of("bash", report.toString(), done.toString(), results.resolve("report.txt")
                        .toString())).write(results.resolve("report.sbatch"));

        String array = slurm.submit(arrayScript);
        String reportJob = slurm.submitAfterAny(reportScript, array);
        assertEquals(JobState.PENDING, slurm.jobState(reportJob), "the report waits for the array");

        List<SlurmJob> reportDone = slurm.waitUntilDone(reportJob, WAIT);
        assertEquals(JobState.COMPLETED, reportDone.get(0).state(), reportDone.toString());
        SortedMap<Integer, JobState> states = slurm.arrayStates(array);
        assertEquals(Map.of(0, JobState.COMPLETED, 1, JobState.FAILED, 2, JobState.COMPLETED), states);
        // The report saw every task's file: it ran after all of them, the failed one included.
        assertEquals(List.of("0.txt", "1.txt", "2.txt"), Files.readAllLines(results.resolve("report.txt")));
        // Logs in results/slurm/, named %A_%a (array id, task index) and %j (job id).
        assertEquals(List.of("task 1 running", "task 1 fails on purpose"),
                Files.readAllLines(results.resolve("slurm/" + array + "_1.out")));
        assertEquals(List.of("task 2 running"), Files.readAllLines(results.resolve("slurm/" + array + "_2.out")));
        assertTrue(Files.isRegularFile(results.resolve("slurm/" + reportJob + ".out")));
    }

    @Test
    void cancellingARunningTaskEndsItsProcessAndLeavesTheOthers() throws IOException, InterruptedException {
        Path folder = Files.createDirectories(tmp.resolve("cancel"));
        Path pidFile = folder.resolve("sleeper.pid");
        Path task = bashScript(folder.resolve("task.sh"), """
                if [[ $1 == 0 ]]; then echo $$ > "$2.tmp"; mv "$2.tmp" "$2"; exec sleep 300; fi
                echo "task $1 done\"""");
        Path script = SbatchScript.array(SbatchOptions.NONE, List.of(0, 1), folder, folder,
                List.of("bash", task.toString(), SbatchScript.TASK_ID, pidFile.toString()))
                .write(folder.resolve("array.sbatch"));
        String array = slurm.submit(script);

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(pidFile) && slurm.jobState(array + "_0") == JobState.RUNNING)) {
            assertTrue(System.nanoTime() < deadline, "task 0 not running after " + WAIT.toSeconds() + " s: "
                    + slurm.jobs(array));
            Thread.sleep(100);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(running(pid), "the sleeping task's process runs before scancel");

        slurm.cancel(array + "_0");
        slurm.waitUntilDone(array, WAIT);
        assertEquals(Map.of(0, JobState.CANCELLED, 1, JobState.COMPLETED), slurm.arrayStates(array));
        assertFalse(running(pid), "scancel ended the task's process");
    }

    @Test
    void rejectedSubmissionsSayWhy() throws IOException {
        Path script = SbatchScript.single(SbatchOptions.NONE, tmp, tmp, List.of("true"))
                .write(tmp.resolve("true.sbatch"));
        SlurmException partition = assertThrows(SlurmException.class,
                () -> slurm.submit(script, "--partition=nosuch"));
        assertTrue(partition.getMessage().contains("invalid partition specified: nosuch"), partition.getMessage());
        // sbatch itself would take this dependency and start the job at once; the client refuses it.
        SlurmException dependency = assertThrows(SlurmException.class,
                () -> slurm.submitAfterAny(script, "999999"));
        assertTrue(dependency.getMessage().startsWith("job 999999 is unknown to slurmctld"), dependency.getMessage());
    }

    /** Whether a process runs (a zombie waiting for its parent to reap it counts as ended). */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text;
        try {
            text = Files.readString(stat);
        } catch (IOException gone) {
            return false;
        }
        // Field 3, after the command name in parentheses: R, S, D, ... or Z for a zombie.
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }
}
