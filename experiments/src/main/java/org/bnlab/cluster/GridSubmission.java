package org.bnlab.cluster;

import org.bnlab.results.RunStatus;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.ExperimentRunner;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.experiment.RunState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bnlab submit} hands to Slurm for one experiment: a job array with one task per unfinished run, each
 * running {@code bnlab run FILE [--set ...] [--grid ...] --out DIR --index N}, so that a task resolves exactly the
 * specification the submitter's plan has at index N; and a report job that starts once every task has ended,
 * however it ended ({@code --dependency=afterany}), so that one failed run never holds back the report of the rest.
 *
 * <p>A run that starts from another run's trained network ({@code model.init_from}) whose source is submitted too
 * goes into a later array ({@code slurm/array-1.sbatch}, {@code array-2.sbatch} for a source that has a source
 * itself, ...), submitted with {@code --dependency=afterok:<array>_<index of its source>} for each source of its
 * tasks and {@code --kill-on-invalid-dep=yes} (so that a failed source cancels its targets instead of leaving them
 * pending forever); the report then waits for every array. A source finished before the submission is no
 * dependency.
 *
 * <p>The scripts are kept in the results folder ({@code slurm/array.sbatch}, {@code slurm/array-<k>.sbatch},
 * {@code slurm/report.sbatch}), where the jobs also write their logs; nothing is written anywhere else. They are the
 * scripts of the last submission that went in whole: one that sbatch refuses part way is withdrawn (see
 * {@link #submit}). A later submission of the same experiment submits only the runs that are still unfinished
 * then, and replaces the scripts.
 */
public final class GridSubmission {

    public static final String ARRAY_SCRIPT = "array.sbatch";
    public static final String REPORT_SCRIPT = "report.sbatch";

    /** The environment variable {@code scripts/bnlab} adds to the JVM's options. */
    public static final String JAVA_OPTS_VARIABLE = "BNLAB_JAVA_OPTS";

    /**
     * How the jobs start bnlab and what they give it.
     *
     * @param launcher       an executable that takes bnlab's arguments ({@code scripts/bnlab} of this installation,
     *                       or a wrapper that sets up a node first), absolute
     * @param experimentFile the experiment file, absolute
     * @param sets           the {@code --set} arguments as given to the submit
     * @param grids          the {@code --grid} arguments as given to the submit
     * @param javaOpts       JVM options for the jobs ({@value #JAVA_OPTS_VARIABLE}), or null
     */
    public record Launch(Path launcher, Path experimentFile, List<String> sets, List<String> grids,
                         String javaOpts) {
        public Launch {
            sets = List.copyOf(sets);
            grids = List.copyOf(grids);
        }
    }

    private final ExperimentPlan plan;
    private final Path resultsFolder;
    private final List<PlannedRun> runs;
    private final List<Integer> running;
    private final List<String> taskCommand;
    private final SbatchScript array;
    private final SbatchScript report;
    private final List<Wave> dependent;
    private final int offset;

    /**
     * A later array: runs whose source is in an earlier one, or runs of plan indices at or above the cluster's
     * {@code MaxArraySize}.
     *
     * @param script  its script
     * @param runs    its runs
     * @param sources for each of its runs (by index) whose source is submitted too, the index of that source
     * @param waveOf  for each submitted run (by index), the array it is in (0: the first)
     * @param offset  the plan index of its task 0
     * @param offsets for each array (0: the first), the plan index of its task 0
     */
    public record Wave(SbatchScript script, List<PlannedRun> runs, Map<Integer, Integer> sources,
                       Map<Integer, Integer> waveOf, int offset, List<Integer> offsets) {

        /** A later array of runs whose sources are in earlier ones, numbered from 0. */
        public Wave(SbatchScript script, List<PlannedRun> runs, Map<Integer, Integer> sources,
                    Map<Integer, Integer> waveOf) {
            this(script, runs, sources, waveOf, 0, List.of());
        }
    }

    private GridSubmission(ExperimentPlan plan, Path resultsFolder, List<PlannedRun> runs, List<Integer> running,
                           List<String> taskCommand, SbatchScript array, SbatchScript report, List<Wave> dependent,
                           int offset) {
        this.plan = plan;
        this.resultsFolder = resultsFolder;
        this.runs = runs;
        this.running = running;
        this.taskCommand = taskCommand;
        this.array = array;
        this.report = report;
        this.dependent = List.copyOf(dependent);
        this.offset = offset;
    }

    /**
     * The runs of {@code plan} that are not finished (completed or diverged) in {@code resultsFolder}, in plan
     * order, read from the run folders alone. A run that is running now (its lock held) counts as unfinished:
     * its task exits at once while the lock is held, and trains it if the holder has died by then.
     */
    public static List<PlannedRun> unfinished(ExperimentPlan plan, Path resultsFolder) {
        return plan.runs().stream().filter(run -> !RunState.of(resultsFolder, run).isFinished()).toList();
    }

    /**
     * The scripts for the unfinished runs of {@code plan}.
     *
     * @param resultsFolder    where the runs go, the scripts and logs too; made absolute
     * @param workingDirectory where the jobs start (relative paths in the data settings are read from there)
     * @param options          what each task asks for; without a job name the array is called
     *                         {@code bnlab-<experiment>} and the report {@code bnlab-<experiment>-report}. The report
     *                         job asks for the same partition, account, time, memory and extra lines, but one CPU
     *                         and no GPU.
     * @throws IllegalStateException    if every run is finished (check {@link #unfinished} first)
     * @throws IllegalArgumentException if a path or value cannot go into a script (see {@link SbatchScript})
     */
    public static GridSubmission prepare(ExperimentPlan plan, Path resultsFolder, Path workingDirectory,
                                         Launch launch, SbatchOptions options) {
        return prepare(plan, resultsFolder, workingDirectory, launch, options, Slurm.DEFAULT_MAX_ARRAY_SIZE);
    }

    /**
     * The scripts for the unfinished runs of {@code plan} on a cluster whose {@code MaxArraySize} is
     * {@code maxArraySize} ({@link Slurm#maxArraySize}): the runs of plan indices {@code c * maxArraySize} to
     * {@code (c + 1) * maxArraySize - 1} go into an array of their own, its tasks numbered from 0, so that no task
     * index reaches the limit; otherwise as {@link #prepare(ExperimentPlan, Path, Path, Launch, SbatchOptions)}.
     *
     * @throws IllegalArgumentException also for a {@code maxArraySize} below 1
     */
    public static GridSubmission prepare(ExperimentPlan plan, Path resultsFolder, Path workingDirectory,
                                         Launch launch, SbatchOptions options, int maxArraySize) {
        if (maxArraySize < 1) {
            throw new IllegalArgumentException("MaxArraySize must be at least 1, got " + maxArraySize);
        }
        Path out = resultsFolder.toAbsolutePath().normalize();
        List<PlannedRun> runs = unfinished(plan, out);
        if (runs.isEmpty()) {
            throw new IllegalStateException("every run of " + plan.experiment().name() + " is finished in " + out);
        }
        List<Integer> running = runs.stream()
                .filter(run -> RunState.of(out, run).status() == RunStatus.RUNNING).map(PlannedRun::index).toList();
        List<String> taskCommand = taskCommand(plan, out, launch);
        String name = "bnlab-" + plan.experiment().name();
        Map<String, String> environment = new LinkedHashMap<>();
        if (launch.javaOpts() != null) {
            environment.put(JAVA_OPTS_VARIABLE, launch.javaOpts());
        }
        Map<String, String> taskEnvironment = new LinkedHashMap<>();
        if (options.cpusPerTask() != null) {
            // ND4J's native code sizes its thread pool by OpenMP, which sees every core of the node where no
            // cgroup or affinity confines the job: tasks sharing a node would oversubscribe it.
            taskEnvironment.put("OMP_NUM_THREADS", options.cpusPerTask().toString());
        }
        taskEnvironment.putAll(environment);
        // which wave each run goes into: after the wave of its source, when its source is submitted too
        Map<Integer, Integer> waveOf = new LinkedHashMap<>();
        for (PlannedRun run : runs) { // sources come first in a plan
            PlannedRun.Source source = run.source();
            waveOf.put(run.index(), source == null || !waveOf.containsKey(source.index()) ? 0
                    : waveOf.get(source.index()) + 1);
        }
        int waves = waveOf.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        // each wave in arrays of at most maxArraySize indices, numbered from a multiple of it: task indices stay
        // below the cluster's MaxArraySize, which sbatch refuses at or above
        List<List<PlannedRun>> parts = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        Map<Integer, Integer> partOf = new LinkedHashMap<>();
        for (int wave = 0; wave < waves; wave++) {
            int w = wave;
            Map<Integer, List<PlannedRun>> chunks = new java.util.TreeMap<>();
            runs.stream().filter(r -> waveOf.get(r.index()) == w)
                    .forEach(r -> chunks.computeIfAbsent(r.index() / maxArraySize, c -> new ArrayList<>()).add(r));
            chunks.forEach((chunk, these) -> {
                these.forEach(r -> partOf.put(r.index(), parts.size()));
                parts.add(these);
                offsets.add(chunk * maxArraySize);
            });
        }
        SbatchScript array = SbatchScript.array(named(options, name), parts.get(0).stream()
                .map(PlannedRun::index).toList(), offsets.get(0), out, workingDirectory, taskEnvironment, taskCommand);
        List<Wave> dependent = new ArrayList<>();
        for (int k = 1; k < parts.size(); k++) {
            List<PlannedRun> these = parts.get(k);
            Map<Integer, Integer> sources = new LinkedHashMap<>();
            these.stream().filter(r -> waveOf.get(r.index()) > 0)
                    .forEach(r -> sources.put(r.index(), r.source().index()));
            dependent.add(new Wave(SbatchScript.array(named(options, name + "-" + k),
                    these.stream().map(PlannedRun::index).toList(), offsets.get(k), out, workingDirectory,
                    taskEnvironment, taskCommand), these, sources, Map.copyOf(partOf), offsets.get(k),
                    List.copyOf(offsets)));
        }
        SbatchScript report = SbatchScript.single(reportOptions(options, name + "-report"), out, workingDirectory,
                environment, List.of(launch.launcher().toString(), "report", out.toString()));
        return new GridSubmission(plan, out, runs, running, taskCommand, array, report, dependent, offsets.get(0));
    }

    /** What each task runs: the same experiment, changes and results folder as the submit, at its own index. */
    private static List<String> taskCommand(ExperimentPlan plan, Path out, Launch launch) {
        List<String> command = new ArrayList<>(List.of(launch.launcher().toString(), "run",
                launch.experimentFile().toString()));
        launch.sets().forEach(set -> command.addAll(List.of("--set", set)));
        launch.grids().forEach(grid -> command.addAll(List.of("--grid", grid)));
        command.addAll(List.of("--out", out.toString(), "--index", SbatchScript.TASK_ID,
                "--expect-plan", plan.fingerprint(), "--quiet", "--no-report"));
        return List.copyOf(command);
    }

    private static SbatchOptions named(SbatchOptions options, String jobName) {
        return new SbatchOptions(options.partition(), options.time(), options.cpusPerTask(), options.gpusPerTask(),
                options.mem(), options.arrayThrottle(), options.account(),
                options.jobName() != null ? options.jobName() : jobName, options.output(), options.extraLines());
    }

    private static SbatchOptions reportOptions(SbatchOptions options, String jobName) {
        return new SbatchOptions(options.partition(), options.time(), null, null, options.mem(), null,
                options.account(), options.jobName() != null ? options.jobName() + "-report" : jobName,
                null, options.extraLines());
    }

    /** The runs the array holds, in plan order. */
    public List<PlannedRun> runs() {
        return runs;
    }

    /** The indices of those runs whose lock a live process held when the submission was prepared. */
    public List<Integer> running() {
        return running;
    }

    /** The command of every task, {@link SbatchScript#TASK_ID} standing for its index. */
    public List<String> taskCommand() {
        return taskCommand;
    }

    public SbatchScript arrayScript() {
        return array;
    }

    public SbatchScript reportScript() {
        return report;
    }

    /** The later arrays, of runs that start from a run of an earlier one; empty when there are none. */
    public List<Wave> dependentArrays() {
        return dependent;
    }

    /** {@code <results>/slurm/array-<k>.sbatch}, the k-th later array (from 1). */
    public Path dependentScriptFile(int k) {
        return array.logsFolder().resolve("array-" + k + ".sbatch");
    }

    /**
     * The sbatch options of the k-th later array (from 1), given the job ids of the arrays before it: one
     * {@code afterok} on each source's task ({@code <array>_<index>}), and {@code --kill-on-invalid-dep=yes}.
     */
    public List<String> dependencyOptions(int k, List<String> arrayJobs) {
        Wave wave = dependent.get(k - 1);
        if (wave.sources().isEmpty()) {
            return List.of(); // indices beyond MaxArraySize of runs that start freshly
        }
        java.util.Set<String> tasks = new java.util.LinkedHashSet<>();
        wave.sources().values().forEach(source -> {
            int array = wave.waveOf().get(source);
            int offset = wave.offsets().isEmpty() ? 0 : wave.offsets().get(array);
            tasks.add(arrayJobs.get(array) + "_" + (source - offset));
        });
        return List.of("--dependency=afterok:" + String.join(":", tasks), "--kill-on-invalid-dep=yes");
    }

    private List<Submission.LaterArray> laterArrays(List<String> arrayJobs) {
        List<Submission.LaterArray> later = new ArrayList<>();
        for (int k = 1; k < arrayJobs.size(); k++) {
            later.add(new Submission.LaterArray(arrayJobs.get(k), dependent.get(k - 1).runs().stream()
                    .map(PlannedRun::index).toList(), dependent.get(k - 1).offset()));
        }
        return later;
    }

    /** {@code <results>/slurm/array.sbatch}. */
    public Path arrayScriptFile() {
        return array.logsFolder().resolve(ARRAY_SCRIPT);
    }

    /** {@code <results>/slurm/report.sbatch}. */
    public Path reportScriptFile() {
        return array.logsFolder().resolve(REPORT_SCRIPT);
    }

    /** The suffix of a script while its submission is under way: not yet, or not wholly, submitted. */
    public static final String SUBMITTING_SUFFIX = ".submitting";

    /**
     * Records the plan in the results folder ({@code experiment.json}, so that {@code bnlab status} works before
     * any task has run), writes the scripts there, submits the arrays and then the report job after them, and
     * records the submission ({@link Submission#appendTo}).
     *
     * <p>All or nothing: the scripts are written as {@code <name>}{@value #SUBMITTING_SUFFIX} and take their own
     * names (replacing the last submission's, and dropping a later array's script that this submission has not)
     * only once every job has gone in. When sbatch refuses any of them, the jobs of this submission that had gone
     * in are cancelled ({@code scancel}), its scripts are removed and nothing is recorded: the results folder's
     * {@code slurm/} is as it was before, and submitting again after the cause is fixed submits each run once.
     *
     * @return the submission as recorded
     * @throws SlurmException with one line when sbatch is missing or rejects a job; the line says which jobs of
     *                        this submission had gone in and were cancelled, or, if scancel failed too, which to
     *                        cancel by hand
     * @throws IllegalArgumentException if the results folder cannot be written
     */
    public Submission submit(Slurm slurm) {
        ExperimentRunner.prepare(plan, resultsFolder);
        Map<Path, SbatchScript> scripts = new LinkedHashMap<>();
        scripts.put(arrayScriptFile(), array);
        for (int k = 1; k <= dependent.size(); k++) {
            scripts.put(dependentScriptFile(k), dependent.get(k - 1).script());
        }
        scripts.put(reportScriptFile(), report);
        try {
            for (Map.Entry<Path, SbatchScript> script : scripts.entrySet()) {
                script.getValue().write(submitting(script.getKey()));
            }
        } catch (IOException e) {
            removeSubmitting(scripts.keySet());
            throw new UncheckedIOException("cannot write the job scripts into " + array.logsFolder() + ": "
                    + e.getMessage(), e);
        }
        List<String> arrayJobs = new ArrayList<>();
        String reportJob;
        try {
            arrayJobs.add(slurm.submit(submitting(arrayScriptFile())));
            for (int k = 1; k <= dependent.size(); k++) {
                arrayJobs.add(slurm.submit(submitting(dependentScriptFile(k)),
                        dependencyOptions(k, arrayJobs).toArray(String[]::new)));
            }
            if (arrayJobs.size() == 1) {
                reportJob = slurm.submitAfterAny(submitting(reportScriptFile()), arrayJobs.get(0));
            } else {
                arrayJobs.forEach(slurm::jobs); // known to slurmctld (see submitAfterAny)
                reportJob = slurm.submit(submitting(reportScriptFile()),
                        "--dependency=afterany:" + String.join(":", arrayJobs));
            }
        } catch (SlurmException refused) {
            removeSubmitting(scripts.keySet());
            throw new SlurmException(refused.getMessage() + withdrawn(slurm, arrayJobs), refused);
        }
        try {
            for (Path file : scripts.keySet()) {
                java.nio.file.Files.move(submitting(file), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            // a later array of the last submission that this one has not: its script would pass for this one's
            for (int k = dependent.size() + 1; java.nio.file.Files.exists(dependentScriptFile(k)); k++) {
                java.nio.file.Files.delete(dependentScriptFile(k));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the jobs went in (arrays " + String.join(", ", arrayJobs) + ", report "
                    + reportJob + "), but their scripts could not take their names in " + array.logsFolder() + ": "
                    + e.getMessage(), e);
        }
        Submission submission = new Submission(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                plan.experiment().name(), plan.fingerprint(), arrayJobs.get(0), reportJob,
                runs.stream().map(PlannedRun::index).toList(), runs.stream().map(PlannedRun::id).toList(),
                taskCommand,
                laterArrays(arrayJobs), offset);
        submission.appendTo(resultsFolder);
        return submission;
    }

    /** Where {@code file} is written while its submission is under way. */
    private static Path submitting(Path file) {
        return file.resolveSibling(file.getFileName() + SUBMITTING_SUFFIX);
    }

    private static void removeSubmitting(java.util.Collection<Path> files) {
        for (Path file : files) {
            try {
                java.nio.file.Files.deleteIfExists(submitting(file));
            } catch (IOException ignored) {
                // its name says it was never submitted as a whole
            }
        }
    }

    /**
     * Cancels the arrays of a submission that failed part way, newest first (a later array may wait on an earlier
     * one), and says how that went, as the end of the error line: nothing when none had gone in.
     */
    private static String withdrawn(Slurm slurm, List<String> arrayJobs) {
        if (arrayJobs.isEmpty()) {
            return "; nothing was submitted";
        }
        List<String> failed = new ArrayList<>();
        for (int i = arrayJobs.size() - 1; i >= 0; i--) {
            try {
                slurm.cancel(arrayJobs.get(i));
            } catch (SlurmException e) {
                failed.add(arrayJobs.get(i) + " (" + e.getMessage() + ")");
            }
        }
        String jobs = (arrayJobs.size() == 1 ? "array job " : "array jobs ") + String.join(", ", arrayJobs);
        if (!failed.isEmpty()) {
            return "; " + jobs + " of this submission had gone in, and cancelling failed for " + String.join(", ",
                    failed) + ": cancel them yourself (scancel " + String.join(" ", arrayJobs) + "); nothing "
                    + "was recorded";
        }
        return "; so " + jobs + " of this submission, which had gone in, " + (arrayJobs.size() == 1 ? "was" : "were")
                + " cancelled (scancel): nothing was submitted or recorded, and the last submission's scripts are kept";
    }
}
