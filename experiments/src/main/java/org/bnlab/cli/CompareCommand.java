package org.bnlab.cli;

import org.bnlab.data.Layout;
import org.bnlab.experiment.Comparison;
import org.bnlab.experiment.DataOptions;
import org.bnlab.experiment.Variant;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.model.Normalization;
import org.bnlab.model.ResNetSpec;
import org.bnlab.model.Shortcut;
import org.bnlab.report.ComparisonReport;
import org.bnlab.train.TrainingSpec;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main job: ResNet with BN, without BN (He initialisation), and without BN (zero-initialised residual
 * branches), trained side by side, then the comparison table. The defaults fit in about ten minutes on two cores;
 * every choice can be overridden.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train ResNets with and without BatchNorm and compare them.",
                "Default: ResNet-20 on a CIFAR-10 subset at learning rate 0.1 with BN, without BN (He init) and "
                        + "without BN (zero-initialised residual branches). Rerun the same command to resume."})
final class CompareCommand implements Callable<Integer> {

    @Option(names = "--dataset", description = "cifar10, cifar100, cifar100-coarse, imagenette or folder (default: ${DEFAULT-VALUE})")
    String dataset = "cifar10";

    @Option(names = "--data-dir", description = "folder holding the datasets (default: $BNLAB_DATA_DIR, else ../shared/datasets, else ./data)")
    Path dataDir;

    @Option(names = "--no-download", negatable = true, description = "never download a missing dataset")
    boolean noDownload;

    @Option(names = "--skip-bad-images", description = "leave out image files that are empty, truncated or corrupt "
            + "(counted on the console, listed in each run's data-problems.txt) instead of stopping at the first")
    boolean skipBadImages;

    @Option(names = "--image-size", description = "input resolution in pixels (default: ${DEFAULT-VALUE})")
    int imageSize = 32;

    @Option(names = "--train-per-class", description = "first N training images of each class (default: ${DEFAULT-VALUE}; 0 = all)")
    int trainPerClass = 1000;

    @Option(names = "--train-fraction", description = "stratified fraction of the training images instead of --train-per-class")
    Double trainFraction;

    @Option(names = "--test-per-class", description = "first N test images of each class (default: ${DEFAULT-VALUE}; 0 = all)")
    int testPerClass = 200;

    @Option(names = "--validation-per-class", description = "hold out N training images per class and evaluate on them instead of the test set (default: ${DEFAULT-VALUE})")
    int validationPerClass = 0;

    @Option(names = "--epochs", description = "training epochs (default: ${DEFAULT-VALUE})")
    int epochs = 4;

    @Option(names = {"--lr", "--learning-rate"}, split = ",", description = "initial learning rate(s); several make a grid (default: 0.1)")
    List<Double> learningRates = new ArrayList<>(List.of(0.1));

    @Option(names = "--batch-size", description = "images per step (default: ${DEFAULT-VALUE})")
    int batchSize = 128;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    double momentum = 0.9;

    @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay = 1e-4;

    @Option(names = "--milestones", split = ",", description = "fractions of the run at which the learning rate is divided by 10 (default: 0.5,0.75)")
    List<Double> milestones = new ArrayList<>(TrainingSpec.PAPER_MILESTONES);

    @Option(names = "--depth", description = "6n+2 layers: 20, 32, 44, 56, 110 (default: ${DEFAULT-VALUE})")
    int depth = 20;

    @Option(names = "--shortcut", converter = Converters.ShortcutConverter.class, description = "A (zero-padding, parameter-free) or B (1x1 projection) (default: A)")
    Shortcut shortcut = Shortcut.A;

    @Option(names = "--normalization", converter = Converters.NormalizationConverter.class, description = "keep only the arms with this normalization: batchnorm or none (default: all arms)")
    Normalization normalization;

    @Option(names = "--init", converter = Converters.InitializationConverter.class, description = "keep only the arms with this initialisation: he or zero-residual (default: all arms)")
    Initialization init;

    @Option(names = "--bn-decay", description = "BN running-average decay, DL4J convention (default: ${DEFAULT-VALUE}, i.e. PyTorch momentum 0.1)")
    double bnDecay = 0.9;

    @Option(names = "--bn-eps", description = "BN epsilon (default: ${DEFAULT-VALUE})")
    double bnEpsilon = 1e-5;

    @Option(names = "--layout", converter = Converters.LayoutConverter.class, description = "activation layout: nhwc (fast with the oneDNN kernels) or nchw (default: nhwc)")
    Layout layout = Layout.NHWC;

    @Option(names = "--kernels", converter = Converters.KernelPathConverter.class, description = "onednn (bnlab's oneDNN layers, fast on CPU) or dl4j (DL4J's own layers); same numbers (default: onednn)")
    KernelPath kernels = KernelPath.ONEDNN;

    @Option(names = "--seed", description = "seeds weights, data order and augmentation (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--divergence-factor", description = "a run diverged when its loss exceeds this many times its starting value (default: ${DEFAULT-VALUE})")
    double divergenceFactor = 1000;

    @Option(names = "--target-accuracy", description = "test accuracy whose epochs and seconds to reach the report shows (default: ${DEFAULT-VALUE})")
    double targetAccuracy = 0.4;

    @Option(names = "--stats-every", description = "record per-layer activation statistics (activations.csv) every N training iterations (default: ${DEFAULT-VALUE}; 0 = off)")
    int statsEvery = 20;

    @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out = Path.of("results", "bn-vs-nobn");

    @Option(names = "--quiet", description = "no progress bar (the line per epoch stays)")
    boolean quiet;

    @Override
    public Integer call() {
        PrintStream console = System.out;
        Comparison.Plan plan = plan();
        Comparison comparison = new Comparison(new ConsoleProgress(console, !quiet), console);
        Comparison.Result result = comparison.run(plan);
        console.println();
        result.report().ifPresent(report -> {
            report.printTo(console);
            console.println("report: " + plan.outDir().resolve(ComparisonReport.MARKDOWN_FILE) + ", "
                    + ComparisonReport.CSV_FILE + ", " + ComparisonReport.SUMMARY_CSV_FILE + ", "
                    + ComparisonReport.ACTIVATIONS_CSV_FILE);
        });
        result.failures().forEach(failure -> System.err.println("bnlab: " + failure));
        return result.failures().isEmpty() ? 0 : 1;
    }

    Comparison.Plan plan() {
        DataOptions data = new DataOptions(dataset, dataDir, imageSize,
                trainFraction == null && trainPerClass > 0 ? trainPerClass : null,
                trainFraction, testPerClass > 0 ? testPerClass : null, validationPerClass, !noDownload, layout,
                skipBadImages);
        if (trainPerClass < 0 || testPerClass < 0) {
            throw new IllegalArgumentException("images per class cannot be negative");
        }
        CNN2DFormat format = layout == Layout.NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        // 10 classes is a placeholder: the comparison sets the dataset's count once the data is loaded
        ResNetSpec model = new ResNetSpec(depth, 10, imageSize, Normalization.BATCHNORM, Initialization.HE, shortcut,
                bnDecay, bnEpsilon, format, kernels);
        TrainingSpec training = new TrainingSpec(learningRates.get(0), momentum, weightDecay, batchSize, epochs,
                milestones, 0.1, seed, divergenceFactor);
        List<Variant> variants = new ArrayList<>();
        for (double rate : learningRates) {
            training.withLearningRate(rate); // refuses an impossible rate before anything runs
            for (Variant arm : Comparison.bnVersusNoBn(rate)) {
                if ((normalization == null || arm.normalization() == normalization)
                        && (init == null || arm.init() == init)) {
                    variants.add(arm);
                }
            }
        }
        if (variants.isEmpty()) {
            // e.g. --normalization batchnorm --init zero-residual: not a default arm, but a sensible request
            for (double rate : learningRates) {
                variants.add(new Variant(normalization, init, rate));
            }
        }
        return new Comparison.Plan(out, data, model, training, variants, targetAccuracy, statsEvery);
    }
}
