package org.bnlab.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bnlab.data.BadImagePolicy;
import org.bnlab.data.BatchIterator;
import org.bnlab.data.ChannelStats;
import org.bnlab.data.DataProblems;
import org.bnlab.data.DatasetCatalog;
import org.bnlab.data.DatasetParts;
import org.bnlab.data.ImageSet;
import org.bnlab.data.Layout;
import org.bnlab.data.Split;
import org.bnlab.data.Splits;

import java.nio.file.Path;

import org.bnlab.spec.DataSpec;

/**
 * The images of an experiment's runs, decoded once and shared by the runs with the same data specification: the training subset, the set evaluated
 * after every epoch (the test split, or a held-out validation split), and the per-channel normalisation computed
 * from the training images only.
 */
public final class ExperimentData {

    private final DataSpec options;
    private final Layout layout;
    private final ImageSet train;
    private final ImageSet evaluation;
    private final ChannelStats normalisation;
    private final Description description;
    private final DataProblems problems;
    private final boolean augment;

    /**
     * What the runs were trained and evaluated on, as recorded in each run's configuration.
     *
     * @param channels        3 (RGB) or 1 (grayscale: MNIST, Fashion-MNIST)
     * @param evaluationSplit {@code test}, or {@code validation} when images were held out of the training split
     * @param augment         whether the training images were augmented (random crop and flip): the data
     *                        specification's {@code augment}, or the data set's standard when that is null
     * @param skippedImages   bad image files left out of the dataset (train and test splits), or null (and absent
     *                        from the JSON) when none
     */
    public record Description(String dataset, String source, String dataRoot, int imageSize, int channels,
                              int classes, int trainImages, int evaluationImages, String evaluationSplit,
                              int trainPerClass, Double trainFraction, int testPerClass, int validationPerClass,
                              boolean augment,
                              float[] channelMean, float[] channelStd, String layout,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Integer skippedImages) {
    }

    private ExperimentData(DataSpec options, Layout layout, ImageSet train, ImageSet evaluation, String source,
                           Path root, String evaluationSplit, DataProblems problems) {
        this.options = options;
        this.problems = problems;
        this.layout = layout;
        this.train = train;
        this.evaluation = evaluation;
        this.normalisation = ChannelStats.of(train);
        this.augment = options.augment() != null ? options.augment()
                : DatasetCatalog.augmentsByDefault(options.dataset());
        this.description = new Description(options.dataset(), source, root.toString(), options.imageSize(),
                train.channels(), train.numClasses(), train.size(), evaluation.size(), evaluationSplit,
                options.trainPerClass(), options.trainFraction(), options.testPerClass(),
                options.validationPerClass(), augment,
                normalisation.mean(), normalisation.std(), layout.name(),
                problems.isEmpty() ? null : problems.count());
    }

    /**
     * Loads (or downloads, if allowed) the dataset and cuts it as the specification says; {@code seed} draws the
     * held-out validation split (when there is one), {@code layout} is the layout of the batches.
     */
    public static ExperimentData load(DataSpec options, Layout layout, long seed) {
        Path root = DatasetCatalog.resolveDataRoot(options.root() == null ? null : Path.of(options.root()));
        DatasetParts parts = DatasetCatalog.load(options.dataset(), root, options.imageSize(), options.download(),
                options.skipBadImages() ? BadImagePolicy.SKIP : BadImagePolicy.REFUSE);
        ImageSet train = parts.train();
        if (options.trainPerClass() > 0) {
            train = train.firstPerClass(options.trainPerClass());
        } else if (options.trainFraction() != null) {
            train = train.fraction(options.trainFraction());
        }
        ImageSet evaluation = parts.test();
        if (options.testPerClass() > 0) {
            evaluation = evaluation.firstPerClass(options.testPerClass());
        }
        String evaluationSplit = "test";
        if (options.validationPerClass() > 0) {
            Split split = Splits.holdOut(train, options.validationPerClass(), seed);
            train = split.train();
            evaluation = split.validation();
            evaluationSplit = "validation";
        }
        return new ExperimentData(options, layout, train, evaluation, parts.source(), root, evaluationSplit,
                parts.problems());
    }

    /**
     * Shuffled training batches, augmented when {@link Description#augment()} says so; order and augmentation follow
     * from {@code seed} and the epoch. With {@code data.batch_classes} k > 0 each batch holds images of only k classes,
     * equally many of each ({@link BatchIterator} says how they are drawn).
     */
    public BatchIterator trainingBatches(int batchSize, long seed) {
        return new BatchIterator(train, batchSize, normalisation, augment, true, options.batchClasses(), seed, layout);
    }

    /** Training batches per epoch at {@code batchSize}, the last one possibly partial (the same in every epoch). */
    public int trainingBatchesPerEpoch(int batchSize) {
        try (BatchIterator batches = trainingBatches(batchSize, 0)) {
            return batches.numBatches();
        }
    }

    /**
     * The evaluation set without augmentation in a random order drawn from {@code seed}: test batches that are
     * random samples of the set, as batch-statistics evaluation needs (the reading order of a class-folder data set
     * groups the images by class, and a batch of one class has that class's statistics, not the population's).
     */
    public BatchIterator shuffledEvaluationBatches(int batchSize, long seed) {
        return new BatchIterator(evaluation, batchSize, normalisation, false, true, seed, layout);
    }

    /** The evaluation set in a fixed order, without augmentation. */
    public BatchIterator evaluationBatches(int batchSize) {
        return new BatchIterator(evaluation, batchSize, normalisation, false, false, 0, layout);
    }

    /**
     * Training batches without augmentation, in the shuffled order of {@code seed}'s first epoch: the batches precise
     * BN re-estimates the statistics from.
     */
    public BatchIterator unaugmentedTrainingBatches(int batchSize, long seed) {
        return new BatchIterator(train, batchSize, normalisation, false, true, seed, layout);
    }

    /** The evaluation images (the test split, or the held-out validation images). */
    public ImageSet evaluationSet() {
        return evaluation;
    }

    /**
     * {@code images} (e.g. a shifted copy of the evaluation set) in a fixed order, without augmentation, normalised
     * with the training images' statistics.
     */
    public BatchIterator batchesOf(ImageSet images, int batchSize) {
        return new BatchIterator(images, batchSize, normalisation, false, false, 0, layout);
    }

    /**
     * The probe batch: the first {@code images} evaluation images (all of them when the set has fewer) of the
     * seeded random order of {@link #shuffledEvaluationBatches}, i.e. a sample without replacement fixed by
     * {@code seed}, normalised like the evaluation batches, in the batches' layout, with one-hot labels. The same
     * arguments give the same batch.
     *
     * @throws IllegalArgumentException if {@code images} < 1
     */
    public org.nd4j.linalg.dataset.DataSet probeBatch(int images, long seed) {
        if (images < 1) {
            throw new IllegalArgumentException("the probe batch needs at least one image, got " + images);
        }
        try (BatchIterator batches = shuffledEvaluationBatches(Math.min(images, evaluation.size()), seed)) {
            return batches.next();
        }
    }

    public int numClasses() {
        return train.numClasses();
    }

    /** Channels of the images: 3 (RGB) or 1 (grayscale). */
    public int channels() {
        return train.channels();
    }

    public Description description() {
        return description;
    }

    /** The bad image files left out of the dataset (whole splits, before any subset was taken); usually none. */
    public DataProblems problems() {
        return problems;
    }

    /**
     * The data of the last specification asked for, kept while the next asks for the same (one data set in memory at
     * a time): runs of a grid, and runs analysed one after another, mostly share their data. The key is what
     * {@link #load} depends on: the data part, the layout, and the seed only where it draws a validation split.
     */
    public static final class Cache {
        private final java.util.function.Consumer<ExperimentData> whenLoaded;
        private Key loadedKey;
        private ExperimentData loaded;

        /** A cache that tells {@code whenLoaded} of each data set it loads (e.g. to print its problems). */
        public Cache(java.util.function.Consumer<ExperimentData> whenLoaded) {
            this.whenLoaded = whenLoaded;
        }

        /** The data {@link #load} returns for these arguments, loaded again only when they differ from the last. */
        public ExperimentData get(DataSpec options, Layout layout, long seed) {
            Key key = new Key(options, layout, options.validationPerClass() > 0 ? seed : 0);
            if (!key.equals(loadedKey)) {
                loaded = null; // let the previous data set go before the next is read
                loaded = load(options, layout, seed);
                loadedKey = key;
                whenLoaded.accept(loaded);
            }
            return loaded;
        }

        private record Key(DataSpec options, Layout layout, long seed) {
        }
    }
}
