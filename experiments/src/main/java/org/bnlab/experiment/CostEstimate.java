package org.bnlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import org.bnlab.model.NetworkFactory;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.spec.DataSpec;
import org.bnlab.spec.ModelSpec;
import org.bnlab.spec.RunSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run costs on this machine: start-up + epochs x (training images / training rate + evaluation images /
 * evaluation rate). Rates are per reference network (ResNet-20 on 32x32 images, scaled by depth and image area;
 * the MLP 784-256-10, scaled by its weights), calibrated from finished runs of this machine (same CPU model and
 * core count in their {@code environment.json}) where there are any, else the defaults measured on the project's
 * 2-core Intel Xeon. A run calibrates the training rate with the median {@code train_images_per_second} of its
 * completed epochs in {@code metrics.csv} (a diverged epoch is left out), the evaluation speed-up with the rest of
 * those epochs' {@code epoch_seconds}, and the start-up with the {@code seconds_outside_epochs} it recorded in
 * {@code environment.json}; runs of fewer than {@value #MIN_CALIBRATING_IMAGES} training images calibrate nothing.
 *
 * @param resnetImagesPerSecond training images/s of the reference ResNet
 * @param mlpImagesPerSecond    training images/s of the reference MLP
 * @param evaluationSpeedup     evaluation images/s over training images/s (a forward pass against a training step)
 * @param startupSeconds        seconds per run outside its epochs (data, network, checkpoint and record files)
 * @param source                where the figures come from, for the printed estimate
 */
public record CostEstimate(double resnetImagesPerSecond, double mlpImagesPerSecond, double evaluationSpeedup,
                           double startupSeconds, String source) {

    /** ResNet-20, BN, batch 128, 2 CPU cores (scripts/benchmark). */
    static final double DEFAULT_RESNET = 300;
    /** MLP 784-256-10, batch 128, 2 CPU cores (2,700 to 4,300 measured on a shared machine). */
    static final double DEFAULT_MLP = 3000;
    /** Evaluation of ResNet-20 ran at 1,094-1,638 images/s against about 300 for training (README). */
    static final double DEFAULT_EVALUATION_SPEEDUP = 3.5;
    /** Per run outside its epochs: a 1-epoch ResNet-8 run on 100 images took this long in all (2 cores). */
    static final double DEFAULT_STARTUP = 10;

    /** Runs with fewer training images (20 batches of 128) calibrate nothing. */
    static final int MIN_CALIBRATING_IMAGES = 2_560;

    private static final Map<String, Integer> TRAIN_IMAGES = Map.of("cifar10", 50_000, "cifar100", 50_000,
            "cifar100-coarse", 50_000, "imagenette", 9_469, "mnist", 60_000, "fashion-mnist", 60_000);
    private static final Map<String, Integer> TEST_IMAGES = Map.of("imagenette", 3_925);

    /** The defaults, with the reason no calibration was possible. */
    public static CostEstimate defaults(String why) {
        return new CostEstimate(DEFAULT_RESNET, DEFAULT_MLP, DEFAULT_EVALUATION_SPEEDUP, DEFAULT_STARTUP,
                why + ": defaults measured on a 2-core Intel Xeon (" + (int) DEFAULT_RESNET
                        + " training images/s for ResNet-20, " + (int) DEFAULT_MLP + " for an MLP 784-256-10, "
                        + "evaluation " + DEFAULT_EVALUATION_SPEEDUP + "x faster, " + (int) DEFAULT_STARTUP
                        + " s start-up per run)");
    }

    /**
     * Calibrates from the finished runs of this machine in {@code folders} (experiment results folders), each
     * figure the median over the runs that measured it; the defaults where none did.
     */
    public static CostEstimate calibrate(List<Path> folders) {
        String cpu = RunEnvironment.cpuModel();
        int cores = Runtime.getRuntime().availableProcessors();
        List<Double> resnet = new ArrayList<>();
        List<Double> mlp = new ArrayList<>();
        List<Double> speedup = new ArrayList<>();
        List<Double> startup = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (Path folder : folders) {
            int before = resnet.size() + mlp.size();
            for (RunFolder run : RunFolder.findFinished(folder)) {
                try {
                    JsonNode env = org.bnlab.spec.SpecCodec.json().readTree(Files.readString(run.environmentFile()));
                    if (!Objects.equals(cpu, env.path("cpu").asText(null)) || env.path("cores").asInt() != cores) {
                        continue; // another machine's speed
                    }
                    RunSpec spec = org.bnlab.spec.ConfigJson.read(run.configFile());
                    int completed = run.readSummary().orElseThrow().epochsCompleted();
                    // a diverged epoch stopped part-way and was evaluated on a broken network: not a speed
                    List<EpochMetrics> epochs = run.readMetrics().stream()
                            .filter(e -> e.epoch() <= completed && e.trainImagesPerSecond() > 0
                                    && Double.isFinite(e.trainImagesPerSecond()))
                            .toList();
                    int trainImages = env.path("data").path("train_images").asInt();
                    int evaluationImages = env.path("data").path("evaluation_images").asInt();
                    if (epochs.isEmpty() || trainImages < MIN_CALIBRATING_IMAGES) {
                        continue; // a tiny run's epoch is its fixed costs (probe, checkpoint), not its speed
                    }
                    double[] rates = epochs.stream().mapToDouble(EpochMetrics::trainImagesPerSecond).toArray();
                    double rate = median(rates);
                    double scale = scale(spec);
                    (fullyConnected(spec) ? mlp : resnet).add(rate * scale);
                    double[] evaluationSeconds = epochs.stream()
                            .mapToDouble(e -> e.epochSeconds() - trainImages / e.trainImagesPerSecond()).toArray();
                    double perEpoch = median(evaluationSeconds);
                    if (perEpoch > 0 && evaluationImages > 0) {
                        speedup.add(evaluationImages / perEpoch / rate);
                    }
                    // measured by the run itself (its last session, so a resumed run's pause is not in it);
                    // absent in records older than the field
                    JsonNode outside = env.path("seconds_outside_epochs");
                    if (outside.isNumber() && outside.asDouble() >= 0) {
                        startup.add(outside.asDouble());
                    }
                } catch (IOException | RuntimeException e) {
                    // a run whose records cannot be read calibrates nothing
                }
            }
            int found = resnet.size() + mlp.size() - before;
            if (found > 0) {
                where.add(found + " in " + folder);
            }
        }
        if (resnet.isEmpty() && mlp.isEmpty()) {
            return defaults("no finished runs of this machine in " + (folders.size() == 1 ? folders.get(0)
                    : "the results folders"));
        }
        double r = resnet.isEmpty() ? DEFAULT_RESNET : median(resnet);
        double m = mlp.isEmpty() ? DEFAULT_MLP : median(mlp);
        double s = speedup.isEmpty() ? DEFAULT_EVALUATION_SPEEDUP : median(speedup);
        double up = startup.isEmpty() ? DEFAULT_STARTUP : median(startup);
        String text = String.format(java.util.Locale.ROOT, "from %d finished run%s of this machine (%s): %s, %s, "
                        + "evaluation %.1fx faster, %s start-up per run", resnet.size() + mlp.size(),
                resnet.size() + mlp.size() == 1 ? "" : "s",
                String.join(", ", where),
                resnet.isEmpty() ? "ResNet-20 at the default " + (int) DEFAULT_RESNET + " training images/s"
                        : String.format(java.util.Locale.ROOT, "%.0f training images/s for ResNet-20", r),
                mlp.isEmpty() ? "an MLP at the default " + (int) DEFAULT_MLP
                        : String.format(java.util.Locale.ROOT, "%.0f for an MLP 784-256-10", m),
                s, startup.isEmpty() ? "the default " + (int) DEFAULT_STARTUP + " s" : Durations.format(up));
        return new CostEstimate(r, m, s, up, text);
    }

    /** Seconds a whole run of {@code spec} takes: start-up, and each epoch's training and evaluation. */
    public double seconds(RunSpec spec) {
        double rate = (fullyConnected(spec) ? mlpImagesPerSecond : resnetImagesPerSecond)
                / scale(spec);
        return startupSeconds + spec.train().epochs() * (trainImages(spec.data()) / rate
                + evaluationImages(spec.data()) / (rate * evaluationSpeedup));
    }

    /** The training images of a run's data (estimated from the dataset's size and the per-class settings). */
    public static double trainImages(DataSpec data) {
        int total = TRAIN_IMAGES.getOrDefault(data.dataset(), 50_000);
        int classes = classes(data);
        double images = data.trainPerClass() > 0 ? Math.min(total, (double) data.trainPerClass() * classes)
                : data.trainFraction() != null ? total * data.trainFraction() : total;
        return Math.max(0, images - (double) data.validationPerClass() * classes);
    }

    private static double evaluationImages(DataSpec data) {
        int classes = classes(data);
        if (data.validationPerClass() > 0) {
            return (double) data.validationPerClass() * classes;
        }
        int total = TEST_IMAGES.getOrDefault(data.dataset(), 10_000);
        return data.testPerClass() > 0 ? Math.min(total, (double) data.testPerClass() * classes) : total;
    }

    private static int classes(DataSpec data) {
        return data.dataset().equals("cifar100") ? 100 : data.dataset().equals("cifar100-coarse") ? 20 : 10;
    }

    /** The cost of the run's network per image relative to its reference network (its factory's figure). */
    static double scale(RunSpec spec) {
        DataSpec data = spec.data();
        ModelSpec model = spec.model();
        int channels = data.dataset().endsWith("mnist") ? 1 : 3;
        return model.architecture().factory().relativeCost(model, data.imageSize(), channels, classes(data));
    }

    /** Whether the run's network is timed against the reference MLP (else against ResNet-20). */
    private static boolean fullyConnected(RunSpec spec) {
        return spec.model().architecture().factory().costReference() == NetworkFactory.CostReference.FULLY_CONNECTED;
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
