package org.bnlab.cli;

import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.ExperimentRunner;
import org.bnlab.experiment.PlannedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Expands an experiment's grid and runs it, then reports it. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an experiment: every run of its grid and seeds, then (with analyze: true in its file) "
                + "the inference-phase analysis, then the report.",
                "Finished runs are skipped and an interrupted one resumes: rerun the same command after a crash.",
                "Several processes (or --workers) may work on one results folder: each run is trained once."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions experiment;

    @Option(names = "--only", paramLabel = "RUN", description = "run only this run (its id, label or hash; see bnlab plan)")
    String only;

    @Option(names = "--index", paramLabel = "N", description = "run only the run at this 0-based index (a Slurm array task)")
    Integer index;

    @Option(names = "--workers", paramLabel = "N", description = "train N runs at a time in N processes (default: ${DEFAULT-VALUE})")
    int workers = 1;

    @Option(names = "--no-report", description = "do not build the report at the end")
    boolean noReport;

    @Option(names = "--quiet", description = "no progress bar (the line per epoch stays); without a terminal "
            + "(output into a file or a pipe) there is none anyway")
    boolean quiet;

    @Option(names = "--expect-plan", paramLabel = "FINGERPRINT",
            description = "stop (exit 2) unless the experiment expands to this plan: bnlab submit passes it to its "
                    + "array tasks, so that a task never runs index N of a file edited since the submission")
    String expectPlan;

    @Override
    public Integer call() {
        return execute(experiment, only, index, workers, noReport, quiet, expectPlan);
    }

    /**
     * Says on standard error when {@code out} holds finished runs that are not runs of {@code plan} (an earlier
     * plan: another {@code --set}, an edited file): the report keeps them apart by the settings in which they differ,
     * and names them.
     */
    static void warnOfOtherPlans(ExperimentPlan plan, Path out) {
        java.util.Set<String> planned = new java.util.HashSet<>();
        plan.runs().forEach(r -> {
            planned.add(r.id());
            planned.add(r.hash());
        });
        List<String> others = org.bnlab.results.RunFolder.findFinished(out).stream()
                .filter(f -> !planned.contains(String.valueOf(f.dir().getFileName()))
                        && org.bnlab.experiment.ExperimentRecord.readRun(f.dir())
                        .map(r -> !planned.contains(r.hash())).orElse(true))
                .map(f -> String.valueOf(f.dir().getFileName())).toList();
        if (!others.isEmpty()) {
            System.err.println("bnlab: warning: " + out + " holds " + others.size() + " finished run"
                    + (others.size() == 1 ? "" : "s") + " of another plan (" + String.join(", ", others.subList(0,
                    Math.min(3, others.size()))) + (others.size() > 3 ? ", ..." : "") + "); the report keeps them "
                    + "apart by the settings in which they differ; use --out for a folder of this plan alone");
        }
    }

    /**
     * Runs what the options select; the exit status: 0, or 1 when a run failed. A run locked by another live process
     * is left to it and is no failure: two tasks of one run (a resubmission while the first still trains) end with
     * one training it and the other exiting 0.
     *
     * @param expectPlan the plan's {@link ExperimentPlan#fingerprint()} as submitted, or null to run whatever the
     *                   experiment expands to now
     * @throws IllegalArgumentException when the plan is not the expected one (nothing is written then)
     */
    static int execute(ExperimentOptions experiment, String only, Integer index, int workers, boolean noReport,
                       boolean quiet, String expectPlan) {
        PrintStream console = System.out;
        ExperimentPlan plan = experiment.plan();
        Path out = experiment.outDir(plan);
        if (expectPlan != null && !expectPlan.equals(plan.fingerprint())) {
            throw new IllegalArgumentException("experiment " + plan.experiment().name() + " now expands to plan "
                    + plan.fingerprint() + ", not " + expectPlan + " as submitted: its file (or one it extends) "
                    + "changed since bnlab submit; submit again to run the new plan");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        org.bnlab.backend.GpuCheck.requireUsable(); // before ND4J loads: an unsupported GPU fails at its first kernel
        warnOfOtherPlans(plan, out);
        List<PlannedRun> selected = only != null ? List.of(plan.find(only))
                : index != null ? List.of(plan.at(index)) : plan.runs();
        boolean single = only != null || index != null;
        int failures;
        if (workers > 1 && !single) {
            ExperimentRunner.prepare(plan, out);
            failures = Workers.run(workers, out, console);
        } else {
            ExperimentRunner.requireWritable(out); // before saying where the runs go
            console.printf("experiment %s: %d run%s into %s%n", plan.experiment().name(), selected.size(),
                    selected.size() == 1 ? "" : "s", out);
            // the bar redraws one line with carriage returns: on a terminal only, not into a log file (Slurm)
            boolean interactive = System.console() != null;
            ExperimentRunner runner = new ExperimentRunner(new ConsoleProgress(console, !quiet && interactive),
                    console);
            failures = (int) runner.run(plan, selected, out).stream()
                    .filter(r -> r.status() == org.bnlab.results.RunStatus.FAILED).count();
        }
        if (plan.experiment().analyze() && !single && !org.bnlab.results.RunFolder.findFinished(out).isEmpty()) {
            AnalyzeCommand.analyze(out, List.of(), null, false, console);
        }
        if (!noReport && !single) {
            // the target as now planned: it is not part of a run's identity, so finished runs may have been
            // trained under another value
            ReportCommand.report(out, plan.runs().get(0).spec().eval().targetAccuracy(), console);
        }
        if (failures > 0) {
            System.err.println("bnlab: " + (workers > 1 && !single ? "workers reported failed runs" : failures
                    + (failures == 1 ? " run failed" : " runs failed")) + "; their folders hold failed.txt. Rerun the same command to try again.");
            return 1;
        }
        return 0;
    }
}
