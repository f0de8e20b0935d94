package org.bnlab.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of an {@link ImageSet} for DL4J: float32 features {@code [B,C,H,W]} (NCHW) or
 * {@code [B,H,W,C]} (NHWC), C = the images' channels (3 for RGB, 1 for grayscale), normalised per
 * channel as {@code (x/255 - mean)/std}, and one-hot float labels {@code [B, numClasses]}. The last
 * batch of an epoch may be smaller.
 *
 * <p><b>Epochs and determinism.</b> Which images a batch holds and how they are augmented depend
 * only on {@code (seed, epoch)}: the same seed and epoch give bit-identical batches, so a run
 * resumed at epoch {@code e} continues exactly as the uninterrupted run would have. Call
 * {@link #setEpoch(int)} before every epoch; {@link #reset()} replays the <em>current</em> epoch
 * (so letting DL4J's {@code fit(iterator, n)} loop call {@code reset()} would repeat one order).
 *
 * <p><b>Augmentation</b> (when enabled): standard CIFAR, see {@link BatchWriter}: pad
 * {@value #PADDING} black pixels per side, random crop back to the original size, random
 * horizontal flip with probability 1/2. Whether a data set is augmented is the caller's choice
 * (CIFAR's standard is to augment, MNIST's and Fashion-MNIST's is not to).
 *
 * <p><b>Threading.</b> Batches are assembled on a background daemon thread up to {@value #AHEAD}
 * batches ahead; an error there is rethrown by {@link #next()}. {@link #reset()},
 * {@link #setEpoch(int)} and {@link #close()} stop the thread. The iterator itself is for one
 * consumer thread.
 */
public final class BatchIterator implements DataSetIterator, AutoCloseable {

    private static final long serialVersionUID = 1L;

    /** Black pixels added on each side before the random crop. */
    public static final int PADDING = 4;
    /** Batches prepared ahead of the consumer. */
    static final int AHEAD = 3;

    private final ImageSet data;
    private final int batchSize;
    private final boolean augment;
    private final boolean shuffle;
    private final int batchClasses;
    private final long seed;
    private final Layout layout;
    private final transient BatchWriter writer;

    private int epoch;
    private transient EpochPlan plan;
    private transient BatchPrefetcher prefetcher;
    private int delivered;
    private DataSetPreProcessor preProcessor;

    /**
     * @param norm    normalisation statistics, normally {@code ChannelStats.of(trainingSet)}; as many channels
     *                as the images have
     * @param augment random crop + flip (for training; off for evaluation)
     * @param shuffle visit images in a new random order each epoch (off: reading order)
     * @param seed    with the epoch, determines order and augmentation
     * @throws DatasetException for a batch size below 1, an empty set, or statistics for another number of
     *                          channels than the images have
     */
    public BatchIterator(ImageSet data, int batchSize, ChannelStats norm, boolean augment, boolean shuffle,
                         long seed, Layout layout) {
        this(data, batchSize, norm, augment, shuffle, 0, seed, layout);
    }

    /**
     * Batches that are not i.i.d. samples when {@code batchClasses > 0}: each holds {@code batchSize /
     * batchClasses} images of each of {@code batchClasses} classes drawn per batch from the seed and the epoch (see
     * {@link EpochPlan#classBatched}); every batch is full and the images no batch takes are left out of that epoch
     * ({@link #numExamples()} says how many an epoch visits). {@code batchClasses = 0}: the constructor above.
     *
     * @param shuffle ignored when {@code batchClasses > 0} (the batches are always drawn)
     * @throws DatasetException also when {@code batchClasses} is negative, exceeds the classes, does not divide
     *                          the batch size, or leaves no batch to form
     */
    public BatchIterator(ImageSet data, int batchSize, ChannelStats norm, boolean augment, boolean shuffle,
                         int batchClasses, long seed, Layout layout) {
        if (batchClasses < 0) {
            throw new DatasetException("data.batch_classes must be >= 0 (0 = i.i.d. batches), got "
                    + batchClasses);
        }
        this.batchClasses = batchClasses;
        this.data = Objects.requireNonNull(data, "data");
        Objects.requireNonNull(norm, "norm");
        this.layout = Objects.requireNonNull(layout, "layout");
        if (batchSize <= 0) {
            throw new DatasetException("batch size must be positive, got " + batchSize);
        }
        if (data.size() == 0) {
            throw new DatasetException("cannot iterate over an empty image set");
        }
        this.batchSize = batchSize;
        this.augment = augment;
        this.shuffle = shuffle;
        this.seed = seed;
        this.writer = new BatchWriter(data, norm, layout);
        setEpoch(0);
    }

    /** Selects the epoch (0-based) and restarts at its first batch. */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new DatasetException("epoch must not be negative, got " + epoch);
        }
        stop();
        this.epoch = epoch;
        this.plan = batchClasses == 0 ? EpochPlan.of(data.size(), seed, epoch, shuffle, augment, PADDING)
                : EpochPlan.classBatched(data.labels(), data.numClasses(), batchSize, batchClasses, seed, epoch,
                        augment, PADDING);
        this.delivered = 0;
    }

    public int epoch() {
        return epoch;
    }

    /** Batches per epoch, the last one possibly partial; the same in every epoch. */
    public int numBatches() {
        return (plan.size() + batchSize - 1) / batchSize;
    }

    /** Images an epoch visits: all of the set's, except those batches of few classes leave out. */
    public int numExamples() {
        return plan.size();
    }

    public Layout layout() {
        return layout;
    }

    @Override
    public boolean hasNext() {
        if (delivered >= numBatches()) {
            return false;
        }
        start(); // DL4J asks hasNext() before next(): begin preparing right away
        return true;
    }

    @Override
    public DataSet next() {
        if (delivered >= numBatches()) {
            throw new NoSuchElementException("epoch " + epoch + " has only " + numBatches() + " batches");
        }
        start();
        DataSet batch;
        try {
            batch = prefetcher.take();
        } catch (RuntimeException e) {
            stop(); // the next call starts over at the batch that failed
            throw e;
        }
        delivered++;
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** Not supported: the batch size is fixed so that epochs stay reproducible. */
    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("BatchIterator has a fixed batch size of " + batchSize);
    }

    private void start() {
        if (prefetcher == null) {
            prefetcher = new BatchPrefetcher("bnlab-batches-epoch-" + epoch, delivered, numBatches(),
                    this::assemble, AHEAD);
        }
    }

    private void stop() {
        if (prefetcher != null) {
            prefetcher.close();
            prefetcher = null;
        }
    }

    /** Builds batch {@code index} of the current epoch; runs on the background thread. */
    DataSet assemble(int index) {
        int from = index * batchSize;
        int count = Math.min(batchSize, plan.size() - from);
        int classes = data.numClasses();
        float[] features = new float[count * data.imageBytes()];
        float[] labels = new float[count * classes];
        for (int slot = 0; slot < count; slot++) {
            int position = from + slot;
            int image = plan.image(position);
            if (plan.augmented()) {
                writer.write(image, slot, plan.shiftY(position), plan.shiftX(position),
                        plan.flip(position), features);
            } else {
                writer.write(image, slot, 0, 0, false, features);
            }
            labels[slot * classes + data.label(image)] = 1f;
        }
        long[] shape = layout == Layout.NCHW
                ? new long[] {count, data.channels(), data.height(), data.width()}
                : new long[] {count, data.height(), data.width(), data.channels()};
        INDArray featureArray = Nd4j.create(features, shape, 'c');
        INDArray labelArray = Nd4j.create(labels, new long[] {count, classes}, 'c');
        return new DataSet(featureArray, labelArray);
    }

    /** Restarts the current epoch from its first batch; it replays identically. */
    @Override
    public void reset() {
        setEpoch(epoch);
    }

    /** Stops the background thread; {@link #next()} would start a new one. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public int inputColumns() {
        return data.imageBytes();
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: batches are already prefetched here; DL4J's async wrapper would only add a copy. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return data.classNames();
    }
}
