package org.bnlab.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The client without a cluster: parsing, and stand-in commands on a PATH of our own. */
class SlurmTest {

    @TempDir
    Path tmp;

    /** A client whose PATH holds only {@code bin} (stand-ins written there) and the system's basic tools. */
    private Slurm clientWith(Path bin) {
        return new Slurm(Map.of("PATH", bin + ":/usr/bin:/bin"));
    }

    private Path standIn(String name, String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        assertTrue(file.toFile().setExecutable(true));
        return bin;
    }

    @Test
    void parsableOutputWithAndWithoutCluster() {
        assertEquals("42", Slurm.parseJobId("42\n"));
        assertEquals("42", Slurm.parseJobId("42;cluster-a\n"));
        SlurmException e = assertThrows(SlurmException.class, () -> Slurm.parseJobId("Submitted batch job 42"));
        assertEquals("sbatch --parsable printed no job id: 'Submitted batch job 42'", e.getMessage());
        assertThrows(SlurmException.class, () -> Slurm.parseJobId(""));
    }

    @Test
    void squeueLinesOnePerTask() {
        List<SlurmJob> jobs = Slurm.parseSqueue("""
                7_2|7|2|PENDING|JobArrayTaskLimit
                7_1|7|1|FAILED|NonZeroExitCode
                9|9|N/A|RUNNING|None
                10|10|N/A|SOMETHING_NEW|None
                """);
        assertEquals(4, jobs.size());
        assertEquals(new SlurmJob("7_2", "7", 2, JobState.PENDING, "PENDING", "JobArrayTaskLimit"), jobs.get(0));
        assertEquals("7_1 FAILED (NonZeroExitCode)", jobs.get(1).toString());
        assertNull(jobs.get(2).arrayTaskId());
        assertEquals(JobState.OTHER, jobs.get(3).state());
        assertFalse(jobs.get(3).state().isFinished(), "an unknown state is never taken for finished");
        assertTrue(JobState.CANCELLED.isFinished());
        assertFalse(JobState.COMPLETING.isFinished(), "COMPLETING jobs still have processes");
    }

    @Test
    void missingSbatchIsOneClearMessage() {
        Path empty = tmp.resolve("nothing-here");
        SlurmException e = assertThrows(SlurmException.class,
                () -> new Slurm(Map.of("PATH", empty.toString())).submit(tmp.resolve("job.sbatch")));
        assertEquals("sbatch not found on PATH (" + empty + "): Slurm's client commands are not installed here "
                + "(Debian: apt-get install -y slurm-client)", e.getMessage());
    }

    @Test
    void sbatchErrorOutputIsInTheMessage() throws IOException {
        Path bin = standIn("sbatch", """
                echo 'sbatch: error: invalid partition specified: nosuch' >&2
                echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2
                exit 1""");
        Path script = tmp.resolve("job.sbatch");
        SlurmException e = assertThrows(SlurmException.class, () -> clientWith(bin).submit(script, "-p", "nosuch"));
        assertEquals("sbatch --parsable -p nosuch " + script + " failed (exit 1): sbatch: error: invalid partition "
                + "specified: nosuch; sbatch: error: Batch job submission failed: Invalid partition name specified",
                e.getMessage());
    }

    @Test
    void submitAfterAnyPassesTheDependencyAndReadsTheClusterForm() throws IOException {
        Path args = tmp.resolve("args.txt");
        standIn("squeue", "echo '12|12|N/A|RUNNING|None'");
        Path bin = standIn("sbatch", "printf '%s\\n' \"$@\" > '" + args + "'\necho '77;cluster-a'");
        assertEquals("77", clientWith(bin).submitAfterAny(tmp.resolve("report.sbatch"), "12"));
        assertEquals(List.of("--parsable", "--dependency=afterany:12", tmp.resolve("report.sbatch").toString()),
                Files.readAllLines(args));
    }

    @Test
    void theEnvironmentIsTheOneGivenNotThisProcesss() throws IOException {
        Path bin = standIn("squeue", "echo \"1|1|N/A|$SLURM_CONF|None\"");
        Slurm slurm = new Slurm(Map.of("PATH", bin + ":/usr/bin:/bin", "SLURM_CONF", "COMPLETED"));
        assertEquals(JobState.COMPLETED, slurm.jobState("1"));
    }

    @Test
    void statesOfArraysAndSingleJobs() throws IOException {
        Path bin = standIn("squeue", """
                case "$*" in
                  *--jobs=5\\ *) printf '5_0|5|0|COMPLETED|None\\n5_1|5|1|FAILED|NonZeroExitCode\\n' ;;
                  *--jobs=6\\ *) echo '6|6|N/A|RUNNING|None' ;;
                  *) echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1 ;;
                esac""");
        Slurm slurm = clientWith(bin);
        assertEquals(Map.of(0, JobState.COMPLETED, 1, JobState.FAILED), slurm.arrayStates("5"));
        assertEquals(JobState.RUNNING, slurm.jobState("6"));
        assertEquals("job 5 is an array of 2 tasks; ask for its states with arrayStates",
                assertThrows(SlurmException.class, () -> slurm.jobState("5")).getMessage());
        assertEquals("job 6 is not a job array",
                assertThrows(SlurmException.class, () -> slurm.arrayStates("6")).getMessage());
        assertTrue(assertThrows(SlurmException.class, () -> slurm.jobs("8")).getMessage()
                .startsWith("job 8 is unknown to slurmctld"));
    }

    @Test
    void jobIdsAreCheckedBeforeAnythingRuns() {
        Slurm slurm = new Slurm(Map.of("PATH", tmp.toString()));
        for (String id : List.of("", "12;rm", "--all", "12_", "x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> slurm.cancel(id));
            assertTrue(e.getMessage().startsWith("a Slurm job id is a number"), e.getMessage());
        }
    }

    @Test
    void maxArraySizeIsReadFromScontrolShowConfig() {
        assertEquals(1001, Slurm.parseMaxArraySize("Configuration data as of 2024-01-01T00:00:00\n"
                + "MaxArraySize            = 1001\nMaxJobCount             = 10000\n"));
        assertEquals(40000, Slurm.parseMaxArraySize("MaxArraySize = 40000\n"));
        assertThrows(SlurmException.class, () -> Slurm.parseMaxArraySize("MaxJobCount = 10000\n"));
    }
}
