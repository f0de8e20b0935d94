package org.bnlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The main job, short for {@code bnlab run bn-vs-nobn}: ResNet-20 with BN, without BN (He initialisation) and
 * without BN (zero-initialised residual branches), three seeds each, then the report. Each option is a shorthand for
 * a {@code --set} of the run specification (its path in brackets in {@code --help}); options not given keep the
 * experiment file's values.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train ResNets with and without BatchNorm and compare them (experiments/bn-vs-nobn.yaml).",
                "Default: ResNet-20 on a CIFAR-10 subset at learning rate 0.1 with BN, without BN (He init) and "
                        + "without BN (zero-initialised residual branches), 3 seeds each. Rerun the same command to resume."})
final class CompareCommand implements Callable<Integer> {

    static final String EXPERIMENT = "bn-vs-nobn";

    @Option(names = "--dataset", description = "[data.dataset] cifar10, cifar100, cifar100-coarse, imagenette, mnist, fashion-mnist or folder")
    String dataset;

    @Option(names = "--data-dir", description = "[data.root] folder holding the datasets (default: $BNLAB_DATA_DIR, else ../shared/datasets, else ./data)")
    String dataDir;

    @Option(names = "--no-download", description = "[data.download=false] never download a missing dataset")
    boolean noDownload;

    @Option(names = "--skip-bad-images", description = "[data.skip_bad_images] skip and list empty, truncated or undecodable image files instead of stopping")
    boolean skipBadImages;

    @Option(names = "--image-size", description = "[data.image_size] input resolution in pixels (32)")
    Integer imageSize;

    @Option(names = "--train-per-class", description = "[data.train_per_class] first N training images of each class (600; 0 = all)")
    Integer trainPerClass;

    @Option(names = "--train-fraction", description = "[data.train_fraction] stratified fraction of the training images instead of --train-per-class")
    Double trainFraction;

    @Option(names = "--test-per-class", description = "[data.test_per_class] first N test images of each class (200; 0 = all)")
    Integer testPerClass;

    @Option(names = "--validation-per-class", description = "[data.validation_per_class] hold out N training images per class and evaluate on them (0)")
    Integer validationPerClass;

    @Option(names = "--epochs", description = "[train.epochs] training epochs (4)")
    Integer epochs;

    @Option(names = {"--lr", "--learning-rate"}, split = ",", description = "[train.learning_rate] initial learning rate (0.1); several make a grid")
    List<Double> learningRates;

    @Option(names = "--batch-size", description = "[train.batch_size] images per step (128)")
    Integer batchSize;

    @Option(names = "--momentum", description = "[train.momentum] SGD momentum (0.9)")
    Double momentum;

    @Option(names = "--weight-decay", description = "[train.weight_decay] L2 weight decay (1e-4)")
    Double weightDecay;

    @Option(names = "--milestones", split = ",", description = "[train.schedule.milestones] fractions of the run at which the learning rate is multiplied by train.schedule.factor (0.5,0.75; factor 0.1)")
    List<Double> milestones;

    @Option(names = "--depth", description = "[model.depth] 6n+2 layers: 20, 32, 44, 56, 110 (20)")
    Integer depth;

    @Option(names = "--shortcut", description = "[model.shortcut] A (zero-padding, parameter-free) or B (1x1 projection) (A)")
    String shortcut;

    @Option(names = "--normalization", description = "[model.normalization] keep only the arms with batchnorm or none (all arms)")
    String normalization;

    @Option(names = "--init", description = "[model.init] keep only the arms with he or zero-residual (all arms)")
    String init;

    @Option(names = "--bn-decay", description = "[model.normalization.decay] BN running-average decay, DL4J convention (0.9, i.e. PyTorch momentum 0.1)")
    Double bnDecay;

    @Option(names = "--bn-eps", description = "[model.normalization.epsilon] BN epsilon (1e-5)")
    Double bnEpsilon;

    @Option(names = "--layout", description = "[execution.layout] nhwc (fast with the oneDNN kernels) or nchw (nhwc)")
    String layout;

    @Option(names = "--kernels", description = "[execution.kernels] onednn (bnlab's oneDNN layers) or dl4j (DL4J's own layers) (onednn)")
    String kernels;

    @Option(names = "--seed", split = ",", description = "[seed] run only these seeds (1,2,3)")
    List<Long> seeds;

    @Option(names = "--divergence-factor", description = "[train.divergence_factor] a run diverged when its loss exceeds this many times its start (1000)")
    Double divergenceFactor;

    @Option(names = "--target-accuracy", description = "[eval.target_accuracy] test accuracy whose epochs and seconds to reach the report shows (0.4)")
    Double targetAccuracy;

    @Option(names = "--stats-every", description = "[measure.activation_stats_every] activation statistics every N iterations (20; 0 = off)")
    Integer statsEvery;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "any other setting, e.g. --set train.schedule.factor=0.2")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", description = "results folder (default: results/bn-vs-nobn)")
    Path out;

    @Option(names = "--workers", description = "train N runs at a time in N processes (1)")
    int workers = 1;

    @Option(names = "--quiet", description = "no progress bar (the line per epoch stays)")
    boolean quiet;

    @Override
    public Integer call() {
        return RunCommand.execute(options(), null, null, workers, false, quiet, null);
    }

    /** The experiment options these shorthands stand for. */
    ExperimentOptions options() {
        ExperimentOptions options = new ExperimentOptions();
        options.experiment = EXPERIMENT;
        options.out = out;
        List<String> s = options.sets;
        put(s, "data.dataset", dataset);
        put(s, "data.root", dataDir);
        if (noDownload) {
            s.add("data.download=false");
        }
        if (skipBadImages) {
            s.add("data.skip_bad_images=true");
        }
        put(s, "data.image_size", imageSize);
        put(s, "data.train_per_class", trainPerClass);
        if (trainFraction != null) {
            put(s, "data.train_per_class", 0);
            put(s, "data.train_fraction", trainFraction);
        }
        put(s, "data.test_per_class", testPerClass);
        put(s, "data.validation_per_class", validationPerClass);
        put(s, "train.epochs", epochs);
        put(s, "train.batch_size", batchSize);
        put(s, "train.momentum", momentum);
        put(s, "train.weight_decay", weightDecay);
        if (milestones != null) {
            s.add("train.schedule.milestones=" + milestones);
        }
        put(s, "train.divergence_factor", divergenceFactor);
        put(s, "model.depth", depth);
        put(s, "model.shortcut", shortcut);
        if (normalization != null) {
            String n = normalization.strip().toLowerCase(Locale.ROOT);
            put(s, "model.normalization", n.equals("bn") ? "batchnorm" : n);
        }
        put(s, "model.init", init);
        put(s, "model.normalization.decay", bnDecay);
        put(s, "model.normalization.epsilon", bnEpsilon);
        put(s, "execution.layout", layout);
        put(s, "execution.kernels", kernels);
        put(s, "eval.target_accuracy", targetAccuracy);
        put(s, "measure.activation_stats_every", statsEvery);
        s.addAll(sets);
        if (learningRates != null) {
            options.grids.add("train.learning_rate=" + String.join(",",
                    learningRates.stream().map(String::valueOf).toList()));
        }
        if (seeds != null) {
            options.grids.add("seed=" + String.join(",", seeds.stream().map(String::valueOf).toList()));
        }
        return options;
    }

    private static void put(List<String> sets, String path, Object value) {
        if (value != null) {
            sets.add(path + "=" + value);
        }
    }
}
