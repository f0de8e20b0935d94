package org.bnlab.cli;

import org.bnlab.cluster.GridSubmission;
import org.bnlab.cluster.SbatchOptions;
import org.bnlab.cluster.SbatchScript;
import org.bnlab.cluster.Slurm;
import org.bnlab.cluster.Submission;
import org.bnlab.experiment.ExperimentPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bnlab submit}: an experiment's unfinished runs as a Slurm job array, and its report as a job that runs when
 * every task has ended (see {@link GridSubmission}).
 */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an experiment on a Slurm cluster: one array task per unfinished run "
                + "(bnlab run EXPERIMENT --index N), then a report job once every task has ended, however it ended.",
                "The scripts go to <out>/slurm/ (array.sbatch, report.sbatch), with the jobs' logs and a record of "
                        + "each submission (submissions.jsonl). Submit again after failures, cancellations or "
                        + "time limits: only the runs still unfinished go in, and interrupted runs resume.",
                "The results folder must be on a file system every node sees (NFS or similar)."})
final class SubmitCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions experiment;

    @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition (sbatch --partition)")
    String partition;

    @Option(names = "--time", paramLabel = "LIMIT",
            description = "wall-clock limit of each run: minutes or [D-]HH:MM:SS (sbatch --time)")
    String time;

    @Option(names = "--cpus-per-task", paramLabel = "N",
            description = "CPU cores per run (sbatch --cpus-per-task); also the run's math threads (OMP_NUM_THREADS)")
    Integer cpusPerTask;

    @Option(names = "--gpus-per-task", paramLabel = "N",
            description = "GPUs per run (sbatch --gpus-per-task, with --ntasks=1); needs the CUDA build "
                    + "(mvn -B -q package -DskipTests -Pcuda)")
    Integer gpusPerTask;

    @Option(names = "--mem", paramLabel = "SIZE", description = "memory per run, e.g. 16G (sbatch --mem)")
    String mem;

    @Option(names = "--throttle", paramLabel = "K",
            description = "at most K runs at a time (the %%K of sbatch --array)")
    Integer throttle;

    @Option(names = "--account", paramLabel = "NAME", description = "account to charge (sbatch --account)")
    String account;

    @Option(names = "--sbatch-line", paramLabel = "LINE",
            description = "another option for both jobs, as --qos=long or a whole '#SBATCH --qos=long' line; repeatable")
    List<String> sbatchLines = new ArrayList<>();

    @Option(names = "--java-opts", paramLabel = "OPTIONS",
            description = "JVM options for the jobs, e.g. -Xmx16g (BNLAB_JAVA_OPTS in the scripts)")
    String javaOpts;

    @Option(names = "--launcher", paramLabel = "FILE",
            description = "what the jobs run bnlab with (default: scripts/bnlab of this installation); e.g. a "
                    + "script that loads modules, then runs scripts/bnlab with its arguments")
    Path launcher;

    @Option(names = "--slurm-conf", paramLabel = "FILE",
            description = "the Slurm configuration sbatch reads (default: $SLURM_CONF, else Slurm's own)")
    Path slurmConf;

    @Option(names = "--dry-run", description = "print both scripts; write and submit nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        SbatchOptions options = sbatchOptions();
        ExperimentPlan plan = experiment.plan();
        Path results = experiment.outDir(plan).toAbsolutePath().normalize();
        if (GridSubmission.unfinished(plan, results).isEmpty()) {
            out.printf("nothing to submit: all %d runs of %s are finished in %s%n", plan.runs().size(),
                    plan.experiment().name(), results);
            return 0;
        }
        Path file = ExperimentOptions.locate(experiment.experiment).toAbsolutePath().normalize();
        GridSubmission.Launch launch = new GridSubmission.Launch(launcher(), file, experiment.sets, experiment.grids,
                javaOpts);
        Slurm slurm = slurm();
        GridSubmission submission = GridSubmission.prepare(plan, results, Path.of("").toAbsolutePath(), launch,
                options, maxArraySize(slurm, System.err));
        int tasks = submission.runs().size();
        if (dryRun) {
            out.printf("# %s (dry run: nothing written or submitted; %d of %d runs unfinished)%n",
                    submission.arrayScriptFile(), tasks, plan.runs().size());
            out.print(submission.arrayScript().text());
            List<String> arrays = new java.util.ArrayList<>(List.of("<array>"));
            for (int k = 1; k <= submission.dependentArrays().size(); k++) {
                GridSubmission.Wave wave = submission.dependentArrays().get(k - 1);
                out.printf("%n# %s (%s)%n", submission.dependentScriptFile(k), wave.sources().isEmpty()
                        ? "indices from " + wave.offset() + ", beyond the cluster's MaxArraySize, as tasks from 0"
                        : "runs that start from another run's network; submitted with "
                        + String.join(" ", submission.dependencyOptions(k, arrays)));
                out.print(submission.dependentArrays().get(k - 1).script().text());
                arrays.add("<array-" + k + ">");
            }
            out.printf("%n# %s (submitted with --dependency=afterany:" + (arrays.size() == 1 ? "<the array's job id>"
                    : String.join(":", arrays)) + ")%n",
                    submission.reportScriptFile());
            out.print(submission.reportScript().text());
            return 0;
        }
        Submission submitted = submission.submit(slurm);
        List<Integer> inLater = submitted.laterArrays().stream().flatMap(a -> a.indices().stream()).toList();
        String indices = SbatchScript.indexList(submitted.indices().stream().filter(i -> !inLater.contains(i))
                .toList());
        out.printf("submitted %d of %d runs of %s: array job %s (indices %s), report job %s after all of them%n",
                tasks, plan.runs().size(), plan.experiment().name(), submitted.arrayJob(), indices,
                submitted.reportJob());
        for (int k = 1; k <= submitted.laterArrays().size(); k++) {
            Submission.LaterArray later = submitted.laterArrays().get(k - 1);
            if (submission.dependentArrays().get(k - 1).sources().isEmpty()) {
                out.printf("runs %s: array job %s (beyond the cluster's MaxArraySize: its task i runs index %d + i)%n",
                        SbatchScript.indexList(later.indices()), later.job(), later.offset());
            } else {
                out.printf("runs %s start from other runs: array job %s, after their sources' tasks (afterok)%n",
                        SbatchScript.indexList(later.indices()), later.job());
            }
        }
        if (!submission.running().isEmpty()) {
            out.printf("runs %s are running elsewhere now (lock held): their tasks exit at once unless the holder has "
                    + "ended by then%n", SbatchScript.indexList(submission.running()));
        }
        out.printf("scripts: %s, %s%n", submission.arrayScriptFile(), submission.reportScriptFile());
        out.printf("logs:    %s%n", results.resolve(SbatchScript.LOGS_FOLDER).resolve(submitted.arrayJob()
                + "_<index>.out"));
        List<String> jobs = new ArrayList<>(List.of(submitted.arrayJob()));
        submitted.laterArrays().forEach(later -> jobs.add(later.job()));
        jobs.add(submitted.reportJob());
        out.printf("watch:   bnlab status %s   (or: squeue -j %s)%n", results, String.join(",", jobs));
        return 0;
    }

    private SbatchOptions sbatchOptions() {
        SbatchOptions.Builder builder = SbatchOptions.builder().partition(partition).time(time)
                .cpusPerTask(cpusPerTask).gpusPerTask(gpusPerTask).mem(mem).arrayThrottle(throttle).account(account);
        sbatchLines.forEach(builder::extraLine);
        return builder.build();
    }

    /**
     * The launcher, absolute: the option's, else {@code scripts/bnlab} under {@code -Dbnlab.home}. For the default,
     * the build must be there: {@code scripts/bnlab} would otherwise start a Maven build in every task at once.
     */
    private Path launcher() {
        if (launcher != null) {
            Path given = launcher.toAbsolutePath().normalize();
            if (!Files.isRegularFile(given) || !Files.isExecutable(given)) {
                throw new IllegalArgumentException("--launcher " + launcher + " is not an executable file");
            }
            return given;
        }
        String home = System.getProperty("bnlab.home");
        if (home == null) {
            throw new IllegalArgumentException("cannot tell where scripts/bnlab is (no -Dbnlab.home): run bnlab "
                    + "submit through scripts/bnlab, or give --launcher");
        }
        Path root = Path.of(home).toAbsolutePath().normalize();
        Path target = root.resolve("experiments/target");
        if (!Files.isRegularFile(target.resolve("classpath.txt"))) {
            throw new IllegalArgumentException("bnlab is not built in " + root + " (no " + target.resolve(
                    "classpath.txt") + "); build it before submitting: mvn -B -q package -DskipTests");
        }
        return root.resolve("scripts/bnlab");
    }

    /**
     * The cluster's {@code MaxArraySize}, else (no {@code scontrol}, no answer) Slurm's default, said on
     * {@code err} (a warning, kept off the scripts a dry run prints).
     */
    private static int maxArraySize(Slurm slurm, PrintStream err) {
        try {
            return slurm.maxArraySize();
        } catch (org.bnlab.cluster.SlurmException e) {
            err.printf("bnlab: the cluster's MaxArraySize is unknown (%s): assuming Slurm's default, %d%n",
                    e.getMessage(),
                    Slurm.DEFAULT_MAX_ARRAY_SIZE);
            return Slurm.DEFAULT_MAX_ARRAY_SIZE;
        }
    }

    /** Slurm's clients with this process's environment, {@code SLURM_CONF} replaced by {@code --slurm-conf}. */
    private Slurm slurm() {
        if (slurmConf == null) {
            return Slurm.fromSystemEnvironment();
        }
        if (!Files.isRegularFile(slurmConf)) {
            throw new IllegalArgumentException("--slurm-conf " + slurmConf + ": no such file");
        }
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("SLURM_CONF", slurmConf.toAbsolutePath().normalize().toString());
        return new Slurm(environment);
    }
}
