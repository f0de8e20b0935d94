package org.bnlab.cli;

import org.bnlab.experiment.CostEstimate;
import org.bnlab.experiment.Durations;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.experiment.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.Callable;

/** The dry run: what an experiment expands to, what is done, and a rough cost. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the runs an experiment expands to (index, id, state) and an estimate of its cost; trains nothing.")
final class PlanCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions experiment;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        ExperimentPlan plan = experiment.plan();
        Path dir = experiment.outDir(plan);
        out.printf("experiment %s: %s%n", plan.experiment().name(), plan.experiment().question());
        String inheritance = experiment.inheritance();
        if (inheritance != null) {
            out.println(inheritance);
        }
        out.printf("varying: %s; results folder: %s%n", plan.varying().isEmpty() ? "nothing"
                : String.join(", ", plan.varying()), dir);
        int width = plan.runs().stream().mapToInt(r -> r.id().length()).max().orElse(3);
        String row = "%5s  %-" + width + "s  %s%n";
        out.printf(row, "index", "run", "state");
        // this experiment's finished runs, then those of the experiments beside it (results/<name>)
        List<Path> folders = new ArrayList<>(List.of(dir));
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && Files.isDirectory(parent)) {
            try (Stream<Path> siblings = Files.list(parent)) {
                siblings.filter(Files::isDirectory).map(p -> dir.resolveSibling(p.getFileName()))
                        .filter(p -> !p.equals(dir)).sorted().forEach(folders::add);
            } catch (IOException e) {
                // the other experiments' folders calibrate nothing then
            }
        }
        CostEstimate cost = CostEstimate.calibrate(folders);
        double seconds = 0;
        double longest = 0;
        int left = 0;
        java.util.TreeMap<String, Integer> probe = new java.util.TreeMap<>();
        for (PlannedRun run : plan.runs()) {
            RunState state = RunState.of(dir, run);
            out.printf(row, run.index(), run.id(), state);
            double runSeconds = cost.seconds(run.spec());
            longest = Math.max(longest, runSeconds);
            if (!state.isFinished()) {
                left++;
                seconds += runSeconds * (1 - (double) state.epochs() / run.spec().train().epochs());
            }
            int batch = run.spec().train().batchSize();
            long iterations = (long) Math.ceil(CostEstimate.trainImages(run.spec().data()) / batch)
                    * run.spec().train().epochs();
            int every = run.spec().measure().probeInterval(iterations, batch);
            probe.merge(probeSchedule(every, iterations), 1, Integer::sum);
        }
        out.printf("%d runs, %d to do; estimated %s, the longest run %s (a task's time limit, submit --time, needs "
                        + "that and a margin); %s; a GPU is many times faster%n", plan.runs().size(), left,
                Durations.format(seconds), Durations.format(longest), cost.source());
        probe.forEach((what, runs) -> out.printf("probe (measure.probe_every): %s in %d run%s%n", what, runs,
                runs == 1 ? "" : "s"));
        if (plan.experiment().analyze()) {
            out.println("then the analysis of the finished runs (analyze: true; modes per run's eval.modes), not in "
                    + "the estimate");
        }
        return 0;
    }

    /**
     * The probe's schedule in a run of about {@code iterations} steps, snapshots every {@code every} (0 = off) from
     * iteration 0 on, as {@code plan} prints it.
     */
    static String probeSchedule(int every, long iterations) {
        if (every == 0) {
            return "off";
        }
        long snapshots = iterations / every + 1;
        if (snapshots == 1) {
            return String.format("at iteration 0 only (every %d iterations, a run has about %d; set "
                    + "measure.probe_every for more)", every, iterations);
        }
        return String.format("every %d iterations, %d snapshots in a run of about %d", every, snapshots, iterations);
    }
}
