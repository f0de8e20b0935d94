package org.bnlab.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bnlab.data.BadImagePolicy;
import org.bnlab.data.BatchIterator;
import org.bnlab.data.ChannelStats;
import org.bnlab.data.DataProblems;
import org.bnlab.data.DatasetCatalog;
import org.bnlab.data.DatasetParts;
import org.bnlab.data.ImageSet;
import org.bnlab.data.Split;
import org.bnlab.data.Splits;

import java.nio.file.Path;

/**
 * The images of one comparison, decoded once and shared by all its runs: the training subset, the set evaluated
 * after every epoch (the test split, or a held-out validation split), and the per-channel normalisation computed
 * from the training images only.
 */
public final class ExperimentData {

    private final DataOptions options;
    private final ImageSet train;
    private final ImageSet evaluation;
    private final ChannelStats normalisation;
    private final Description description;
    private final DataProblems problems;

    /**
     * What the runs were trained and evaluated on, as recorded in each run's configuration.
     *
     * @param evaluationSplit {@code test}, or {@code validation} when images were held out of the training split
     * @param skippedImages   bad image files left out of the dataset (train and test splits), or null (and absent
     *                        from the JSON, so that configurations of clean data stay as they were) when none
     */
    public record Description(String dataset, String source, String dataRoot, int imageSize, int classes,
                              int trainImages, int evaluationImages, String evaluationSplit, Integer trainPerClass,
                              Double trainFraction, Integer testPerClass, int validationPerClass,
                              float[] channelMean, float[] channelStd, String layout,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Integer skippedImages) {
    }

    private ExperimentData(DataOptions options, ImageSet train, ImageSet evaluation, String source, Path root,
                           String evaluationSplit, DataProblems problems) {
        this.options = options;
        this.problems = problems;
        this.train = train;
        this.evaluation = evaluation;
        this.normalisation = ChannelStats.of(train);
        this.description = new Description(options.dataset(), source, root.toString(), options.imageSize(),
                train.numClasses(), train.size(), evaluation.size(), evaluationSplit, options.trainPerClass(),
                options.trainFraction(), options.testPerClass(), options.validationPerClass(),
                normalisation.mean(), normalisation.std(), options.layout().name(),
                problems.isEmpty() ? null : problems.count());
    }

    /** Loads (or downloads, if allowed) the dataset and cuts it as the options say; {@code seed} draws the held-out split. */
    public static ExperimentData load(DataOptions options, long seed) {
        Path root = DatasetCatalog.resolveDataRoot(options.dataRoot());
        DatasetParts parts = DatasetCatalog.load(options.dataset(), root, options.imageSize(), options.allowDownload(),
                options.skipBadImages() ? BadImagePolicy.SKIP : BadImagePolicy.REFUSE);
        ImageSet train = parts.train();
        if (options.trainPerClass() != null) {
            train = train.firstPerClass(options.trainPerClass());
        } else if (options.trainFraction() != null) {
            train = train.fraction(options.trainFraction());
        }
        ImageSet evaluation = parts.test();
        if (options.testPerClass() != null) {
            evaluation = evaluation.firstPerClass(options.testPerClass());
        }
        String evaluationSplit = "test";
        if (options.validationPerClass() > 0) {
            Split split = Splits.holdOut(train, options.validationPerClass(), seed);
            train = split.train();
            evaluation = split.validation();
            evaluationSplit = "validation";
        }
        return new ExperimentData(options, train, evaluation, parts.source(), root, evaluationSplit, parts.problems());
    }

    /** Shuffled, augmented training batches; order and augmentation follow from {@code seed} and the epoch. */
    public BatchIterator trainingBatches(int batchSize, long seed) {
        return new BatchIterator(train, batchSize, normalisation, true, true, seed, options.layout());
    }

    /** The evaluation set in a fixed order, without augmentation. */
    public BatchIterator evaluationBatches(int batchSize) {
        return new BatchIterator(evaluation, batchSize, normalisation, false, false, 0, options.layout());
    }

    public int numClasses() {
        return train.numClasses();
    }

    public Description description() {
        return description;
    }

    /** The bad image files left out of the dataset (whole splits, before any subset was taken); usually none. */
    public DataProblems problems() {
        return problems;
    }
}
