package org.bnlab.cluster;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Slurm's command-line clients ({@code sbatch}, {@code squeue}, {@code scancel}) called as child processes with a
 * given environment, so that a caller (a test) can point them at a cluster of its own with {@code SLURM_CONF}.
 *
 * <p><b>Where states come from.</b> Job states are read with {@code squeue --states=all --array}, which lists
 * pending, running and finished jobs one line per array task. There is no accounting database on the clusters
 * this is used with ({@code sacct} knows nothing), so a finished job is visible only while slurmctld still keeps
 * it: {@code MinJobAge} seconds after it ended (Slurm's default and {@code scripts/slurm-cluster}'s: 300).
 * {@code scontrol show job} reads the same records and forgets them at the same moment, so it would add nothing.
 * After that, {@link #jobs} says the job is unknown; poll well within {@code MinJobAge}.
 *
 * <p>Every method throws {@link SlurmException} with one line when a command is missing, fails (with its error
 * output) or runs longer than {@link #COMMAND_TIMEOUT}.
 */
public final class Slurm {

    /** How long one client command may take: sbatch retries an unreachable slurmctld for a while before failing. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    /** How often {@link #waitUntilDone} asks squeue: often enough for tests, a few calls a second at most. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private static final Pattern JOB_ID = Pattern.compile("\\d+(?:_\\d+)?");
    private static final String SQUEUE_FORMAT = "%i|%F|%K|%T|%r";

    private final Map<String, String> environment;

    /**
     * @param environment the complete environment of every client command (not added to this process's): it
     *                    must hold {@code PATH}, where the commands are looked up, and may hold {@code SLURM_CONF}
     */
    public Slurm(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Clients that see this process's environment: the machine's own Slurm. */
    public static Slurm fromSystemEnvironment() {
        return new Slurm(System.getenv());
    }

    /**
     * Submits a batch script with {@code sbatch --parsable [extraArgs...] script}.
     *
     * @param script    the script ({@link SbatchScript#write}); options in its {@code #SBATCH} lines count
     * @param extraArgs sbatch options, which win over the script's {@code #SBATCH} lines
     * @return the job id ({@code 42}), also the array's id for a job array
     * @throws SlurmException if sbatch is missing, rejects the job (its error output is in the message) or prints
     *                        no job id
     */
    public String submit(Path script, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(List.of(extraArgs));
        command.add(script.toAbsolutePath().toString());
        return parseJobId(run(command));
    }

    /**
     * Submits a script that starts once job {@code jobId} (all of it, for an array) has ended, however it ended:
     * {@code --dependency=afterany:<jobId>}. This is how a report runs after an array in which some tasks failed.
     *
     * <p>The job must be known to slurmctld: Slurm 22.05's sbatch accepts a dependency on a job it does not know
     * and starts the dependent job at once, so a wrong id would run the report before the array has even begun.
     *
     * @throws SlurmException as {@link #submit}, also when slurmctld does not know {@code jobId}
     */
    public String submitAfterAny(Path script, String jobId) {
        jobs(jobId);
        return submit(script, "--dependency=afterany:" + jobId);
    }

    /**
     * Every record slurmctld keeps for {@code jobId}: one for a plain job, one per task for an array.
     *
     * @throws SlurmException if slurmctld does not know the job (never submitted, or ended more than
     *                        {@code MinJobAge} seconds ago)
     */
    public List<SlurmJob> jobs(String jobId) {
        checkJobId(jobId);
        List<SlurmJob> jobs;
        try {
            jobs = parseSqueue(run(List.of("squeue", "--noheader", "--array", "--states=all", "--jobs=" + jobId,
                    "--format=" + SQUEUE_FORMAT)));
        } catch (SlurmException e) {
            if (e.getMessage().contains("Invalid job id")) {
                throw unknown(jobId);
            }
            throw e;
        }
        if (jobs.isEmpty()) {
            throw unknown(jobId);
        }
        return jobs;
    }

    /**
     * The state of one job: a plain job, or one array task given as {@code 42_3}.
     *
     * @throws SlurmException if {@code jobId} names a whole array of several tasks (use {@link #arrayStates}) or
     *                        an unknown job
     */
    public JobState jobState(String jobId) {
        List<SlurmJob> jobs = jobs(jobId);
        if (jobs.size() != 1) {
            throw new SlurmException("job " + jobId + " is an array of " + jobs.size()
                    + " tasks; ask for its states with arrayStates");
        }
        return jobs.get(0).state();
    }

    /**
     * The state of each task of job array {@code jobId}, by task index.
     *
     * @throws SlurmException if the job is no array, or unknown
     */
    public SortedMap<Integer, JobState> arrayStates(String jobId) {
        SortedMap<Integer, JobState> states = new TreeMap<>();
        for (SlurmJob job : jobs(jobId)) {
            if (job.arrayTaskId() == null) {
                throw new SlurmException("job " + jobId + " is not a job array");
            }
            states.put(job.arrayTaskId(), job.state());
        }
        return states;
    }

    /** Slurm's default {@code MaxArraySize}: array task indices go from 0 to one less. */
    public static final int DEFAULT_MAX_ARRAY_SIZE = 1001;

    /**
     * The cluster's {@code MaxArraySize} ({@code scontrol show config}): array task indices must be below it.
     *
     * @throws SlurmException if scontrol is missing or fails, or its output has no such line
     */
    public int maxArraySize() {
        return parseMaxArraySize(run(List.of("scontrol", "show", "config")));
    }

    /** The {@code MaxArraySize = N} line of {@code scontrol show config}'s output. */
    static int parseMaxArraySize(String config) {
        java.util.regex.Matcher m = Pattern.compile("(?m)^\\s*MaxArraySize\\s*=\\s*(\\d+)\\s*$").matcher(config);
        if (!m.find()) {
            throw new SlurmException("scontrol show config printed no MaxArraySize line");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Cancels a job, a whole array, or one task ({@code 42_3}) with {@code scancel}: pending tasks never start,
     * running ones get SIGTERM, then SIGKILL after the cluster's {@code KillWait}. Returns without waiting; see
     * {@link #waitUntilDone}. Slurm 22.05's scancel says nothing about a job that has already ended or that it
     * does not know, so neither is an error here.
     *
     * @throws SlurmException if scancel is missing or fails
     */
    public void cancel(String jobId) {
        run(List.of("scancel", checkJobId(jobId)));
    }

    /**
     * Waits until every record of {@code jobId} has finished ({@link JobState#isFinished()}), asking squeue every
     * {@link #POLL_INTERVAL}.
     *
     * @param timeout how long to wait at most
     * @return the records as they were at the end
     * @throws SlurmException       on timeout (the message lists the states seen last) or an unknown job
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    public List<SlurmJob> waitUntilDone(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SlurmJob> jobs = jobs(jobId);
            if (jobs.stream().allMatch(job -> job.state().isFinished())) {
                return jobs;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new SlurmException("job " + jobId + " not done after " + timeout.toSeconds() + " s: "
                        + jobs.stream().map(SlurmJob::toString).collect(Collectors.joining(", ")));
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    /**
     * The job id in {@code sbatch --parsable}'s output: {@code 42}, or {@code 42;cluster} on a federation or
     * multi-cluster setup.
     *
     * @throws SlurmException if the output holds no job id
     */
    static String parseJobId(String parsableOutput) {
        String line = parsableOutput.strip();
        int semicolon = line.indexOf(';');
        String id = semicolon >= 0 ? line.substring(0, semicolon) : line;
        if (!id.matches("\\d+")) {
            throw new SlurmException("sbatch --parsable printed no job id: '" + ShellQuote.visible(line) + "'");
        }
        return id;
    }

    /** squeue's lines in {@link #SQUEUE_FORMAT}. */
    static List<SlurmJob> parseSqueue(String output) {
        List<SlurmJob> jobs = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.strip().split("\\|", 5);
            if (fields.length < 4) {
                throw new SlurmException("unexpected squeue line: '" + ShellQuote.visible(line) + "'");
            }
            Integer task = fields[2].matches("\\d+") ? Integer.valueOf(fields[2]) : null;
            jobs.add(new SlurmJob(fields[0], fields[1], task, JobState.parse(fields[3]), fields[3],
                    fields.length > 4 ? fields[4] : ""));
        }
        return jobs;
    }

    private static String checkJobId(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("a Slurm job id is a number, or NUMBER_TASK for one array task; got '"
                    + (jobId == null ? "null" : ShellQuote.visible(jobId)) + "'");
        }
        return jobId;
    }

    private static SlurmException unknown(String jobId) {
        return new SlurmException("job " + jobId + " is unknown to slurmctld: never submitted, or it ended longer "
                + "ago than the cluster's MinJobAge (without accounting, slurmctld forgets finished jobs then)");
    }

    /** Runs a client command; returns its standard output, or throws with its error output. */
    private String run(List<String> command) {
        String program = command.get(0);
        Path executable = findOnPath(program);
        List<String> resolved = new ArrayList<>(command);
        // The absolute path: ProcessBuilder would look the name up on this JVM's PATH, not on the child's.
        resolved.set(0, executable.toString());
        ProcessBuilder builder = new ProcessBuilder(resolved).redirectInput(new File("/dev/null"));
        builder.environment().clear();
        builder.environment().putAll(environment);
        String line = String.join(" ", command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SlurmException(line + ": could not start: " + e.getMessage(), e);
        }
        // Each pipe drained on a thread of its own: neither can fill up and stall the command, and the wait below
        // keeps its timeout even if the command never closes its output.
        StreamReader stdout = new StreamReader(process.getInputStream());
        StreamReader stderr = new StreamReader(process.getErrorStream());
        stdout.start();
        stderr.start();
        try {
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new SlurmException(line + ": no answer after " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            stdout.join();
            stderr.join();
            if (process.exitValue() != 0) {
                String error = stderr.text.strip().replaceAll("\\s*\n\\s*", "; ");
                throw new SlurmException(line + " failed (exit " + process.exitValue() + ")"
                        + (error.isEmpty() ? "" : ": " + error));
            }
            return stdout.text;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmException(line + ": interrupted", e);
        }
    }

    private Path findOnPath(String program) {
        String path = environment.getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new SlurmException(program + " not found on PATH (" + path + "): Slurm's client commands are not "
                + "installed here (Debian: apt-get install -y slurm-client)");
    }

    /** Drains one stream into a string. */
    private static final class StreamReader extends Thread {
        private final InputStream in;
        private volatile String text = "";

        StreamReader(InputStream in) {
            super("slurm-client-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(buffer);
            } catch (IOException ignored) {
                // The process died under us; what was read so far is all there is.
            }
            text = buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
