package org.bnlab.cli;

import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.experiment.RunState;
import org.bnlab.model.Architecture;
import org.bnlab.spec.DataSpec;
import org.bnlab.spec.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** The dry run: what an experiment expands to, what is done, and a rough cost. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the runs an experiment expands to (index, id, state) and an estimate of its cost; trains nothing.")
final class PlanCommand implements Callable<Integer> {

    /** Training images per second of ResNet-20 on 2 CPU cores, measured with scripts/benchmark (BN, batch 128). */
    static final double REFERENCE_IMAGES_PER_SECOND = 300;
    /**
     * Training images per second of the MLP 784-256-10 on 2 CPU cores (Adam, batch 128, with or without BN; measured
     * with bnlab run experiments/mlp-fashion-mnist-short.yaml, 2,700 to 4,300 on a shared machine).
     */
    static final double MLP_IMAGES_PER_SECOND = 3000;
    private static final double MLP_REFERENCE_WEIGHTS = 784 * 256 + 256 * 10;
    private static final Map<String, Integer> TRAIN_IMAGES = Map.of("cifar10", 50_000, "cifar100", 50_000,
            "cifar100-coarse", 50_000, "imagenette", 9_469, "mnist", 60_000, "fashion-mnist", 60_000);

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
        double seconds = 0;
        int left = 0;
        for (PlannedRun run : plan.runs()) {
            RunState state = RunState.of(dir, run);
            out.printf(row, run.index(), run.id(), state);
            if (!state.isFinished()) {
                left++;
                seconds += estimateSeconds(run) * (1 - (double) state.epochs() / run.spec().train().epochs());
            }
        }
        out.printf("%d runs, %d to do; estimated %s on 2 CPU cores (rough: %.0f training images/s for ResNet-20, "
                        + "scaled by depth and image area, %.0f for an MLP 784-256-10, scaled by its weights; a GPU is "
                        + "many times faster)%n", plan.runs().size(), left,
                org.bnlab.experiment.Durations.format(seconds), REFERENCE_IMAGES_PER_SECOND, MLP_IMAGES_PER_SECOND);
        if (plan.experiment().analyze()) {
            out.println("then the analysis of the finished runs (analyze: true; modes per run's eval.modes), not in "
                    + "the estimate");
        }
        return 0;
    }

    /**
     * Training seconds of a run at the reference speed, scaled by depth and image area (a ResNet) or by the weights
     * (an MLP); evaluation not counted.
     */
    static double estimateSeconds(PlannedRun run) {
        DataSpec data = run.spec().data();
        int perClassTotal = TRAIN_IMAGES.getOrDefault(data.dataset(), 50_000);
        int classes = data.dataset().startsWith("cifar100") ? 100 : 10;
        double images = data.trainPerClass() > 0 ? Math.min(perClassTotal, (double) data.trainPerClass() * classes)
                : data.trainFraction() != null ? perClassTotal * data.trainFraction() : perClassTotal;
        ModelSpec model = run.spec().model();
        if (model.architecture() == Architecture.MLP) {
            int channels = data.dataset().endsWith("mnist") ? 1 : 3;
            double weights = 0;
            int in = data.imageSize() * data.imageSize() * channels;
            for (int width : model.hidden()) {
                weights += (double) in * width;
                in = width;
            }
            weights += (double) in * classes;
            return images * run.spec().train().epochs() * (weights / MLP_REFERENCE_WEIGHTS) / MLP_IMAGES_PER_SECOND;
        }
        double scale = (model.depth() / 20.0) * Math.pow(data.imageSize() / 32.0, 2);
        return images * run.spec().train().epochs() * scale / REFERENCE_IMAGES_PER_SECOND;
    }
}
