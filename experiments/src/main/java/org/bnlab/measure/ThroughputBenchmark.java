package org.bnlab.measure;

import org.bnlab.data.BatchIterator;
import org.bnlab.data.ChannelStats;
import org.bnlab.data.ImageSet;
import org.bnlab.data.Layout;
import org.bnlab.model.BatchNormFolding;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.model.ResNetConfig;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Training and inference speed of a CIFAR ResNet with and without BN on the active backend, on random data of
 * CIFAR's shape (speed does not depend on the pixel values). Without BN the network uses zero-residual
 * initialisation and a small learning rate so that its numbers stay finite while being timed. BN's rows include
 * {@code inference+folded}, inference of the same network with each BN folded into its convolution
 * ({@link BatchNormFolding}). A row times training
 * with activation statistics recorded at every iteration against the same without ({@link #statisticsOverhead}),
 * two rows time the probe at every iteration and at its default interval ({@link #probeOverhead}), one the internal
 * covariate shift measured at every iteration ({@link #icsOverhead}), two the loss landscape at every iteration and
 * at its budgeted interval ({@link #landscapeOverhead}), and a last row times the data pipeline (augmented batches
 * from uint8 images), which must never hold training back. The rows after the per-normalizer ones are timed only
 * with the overheads switched on.
 */
public final class ThroughputBenchmark {

    /**
     * One measured configuration.
     *
     * @param baseline for a row that measures what something costs, the same configuration without it, timed
     *                 alongside; null for the others
     */
    public record Row(String model, String normalization, String mode, int batchSize, String layout,
                      Throughput throughput, Throughput baseline) {

        Row(String model, String normalization, String mode, int batchSize, String layout, Throughput throughput) {
            this(model, normalization, mode, batchSize, layout, throughput, null);
        }

        /** Extra time per image against the baseline, in percent ({@link Throughput.Pair#overheadPercent}); NaN without one. */
        public double overheadPercent() {
            return baseline == null ? Double.NaN : new Throughput.Pair(baseline, throughput).overheadPercent();
        }
    }

    /**
     * @param depth       6n+2
     * @param batchSizes  batch sizes to time training at (inference is timed at the first)
     * @param format      activation layout
     * @param kernels     which code computes convolutions and BN
     * @param warmup      untimed iterations first
     * @param repetitions timed repetitions
     * @param iterations  iterations per repetition
     * @param normalizers the normalizers to time training and inference with, in this order (each with its default
     *                    parameters)
     * @param overheads   whether to add the rows that cost a measurement (train+stats, train+probe) and the data
     *                    pipeline's row
     */
    public record Settings(int depth, List<Integer> batchSizes, CNN2DFormat format, KernelPath kernels, int warmup,
                           int repetitions, int iterations, List<Normalizer> normalizers, boolean overheads) {

        /** Every normalizer and every overhead row. */
        public Settings(int depth, List<Integer> batchSizes, CNN2DFormat format, KernelPath kernels, int warmup,
                        int repetitions, int iterations) {
            this(depth, batchSizes, format, kernels, warmup, repetitions, iterations, Normalizers.all(), true);
        }

        public Settings {
            batchSizes = List.copyOf(batchSizes);
            normalizers = List.copyOf(normalizers);
            if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("batch sizes must be positive, got " + batchSizes);
            }
            if (normalizers.isEmpty()) {
                throw new IllegalArgumentException("give at least one normalizer to time");
            }
            if (warmup < 0 || repetitions < 1 || iterations < 1) {
                throw new IllegalArgumentException("need warmup >= 0, repetitions >= 1 and iterations >= 1");
            }
        }
    }

    private ThroughputBenchmark() {
    }

    public static List<Row> run(Settings settings, java.util.function.Consumer<Row> onRow) {
        List<Row> rows = new ArrayList<>();
        for (Normalizer normalization : settings.normalizers()) {
            ResNetConfig spec = spec(settings, normalization);
            ComputationGraph net = CifarResNet.build(spec, new SgdMomentum(0.01, 0.9), 1e-4, 1);
            for (int batch : settings.batchSizes()) {
                DataSet data = randomBatch(batch, settings.format());
                Throughput train = Throughput.measure(() -> net.fit(data), batch, settings.warmup(),
                        settings.repetitions(), settings.iterations());
                add(rows, onRow, new Row(spec.modelName(), normalization.type(), "train", batch,
                        settings.format().name(), train));
            }
            int batch = settings.batchSizes().get(0);
            INDArray features = randomBatch(batch, settings.format()).getFeatures();
            Throughput inference = Throughput.measure(() -> net.outputSingle(false, features), batch,
                    settings.warmup(), settings.repetitions(), settings.iterations());
            add(rows, onRow, new Row(spec.modelName(), normalization.type(), "inference", batch,
                    settings.format().name(), inference));
            if (normalization instanceof BatchNorm) {
                // the same trained network (its running statistics moved while training was timed), BN folded
                ComputationGraph folded = BatchNormFolding.fold(net);
                Throughput foldedInference = Throughput.measure(() -> folded.outputSingle(false, features), batch,
                        settings.warmup(), settings.repetitions(), settings.iterations());
                add(rows, onRow, new Row(spec.modelName(), normalization.type(), "inference+folded", batch,
                        settings.format().name(), foldedInference));
            }
        }
        if (settings.overheads()) {
            rows.add(statisticsOverhead(settings, onRow));
            rows.addAll(probeOverhead(settings, onRow));
            rows.add(icsOverhead(settings, onRow));
            rows.addAll(landscapeOverhead(settings, onRow));
            rows.add(dataPipeline(settings, onRow));
        }
        return rows;
    }

    private static ResNetConfig spec(Settings settings, Normalizer normalization) {
        return ResNetConfig.resnet20(10).withDepth(settings.depth()).withNormalization(normalization)
                .withInit(normalization.hasAffine() ? Initialization.HE : Initialization.ZERO_RESIDUAL)
                .withFormat(settings.format()).withKernels(settings.kernels());
    }

    /**
     * What activation statistics cost training in the worst case, a snapshot at every iteration
     * ({@code --stats-every 1}; at the default of 20 the cost is about a twentieth of it): the BN network, which has
     * the most layers to summarise, at the first batch size, timed with and without {@link ActivationStatsListener}
     * in alternating repetitions.
     */
    private static Row statisticsOverhead(Settings settings, java.util.function.Consumer<Row> onRow) {
        ResNetConfig spec = spec(settings, BatchNorm.DEFAULT);
        ComputationGraph net = CifarResNet.build(spec, new SgdMomentum(0.01, 0.9), 1e-4, 1);
        int batch = settings.batchSizes().get(0);
        DataSet data = randomBatch(batch, settings.format());
        ActivationStatsListener everyIteration = new ActivationStatsListener(1);
        Throughput.Pair pair = Throughput.measurePair(() -> {
            net.setListeners();
            net.fit(data);
        }, () -> {
            net.setListeners(everyIteration);
            everyIteration.startEpoch(1); // lets the previous snapshot's rows go, as the trainer does each epoch
            net.fit(data);
        }, batch, settings.warmup(), settings.repetitions(), settings.iterations());
        Row row = new Row(spec.modelName(), BatchNorm.TYPE, "train+stats", batch,
                settings.format().name(), pair.variant(), pair.baseline());
        onRow.accept(row);
        return row;
    }

    /**
     * What the probe ({@link ProbeRecorder}) costs training: the BN network (more to measure: its BN layers) at the
     * first batch size, timed with a snapshot before every step against the same without, in alternating
     * repetitions (mode {@code train+probe/1}); then the same repetitions scaled to the most frequent interval the
     * default ({@code measure.probe_every: auto}) chooses, its cost floor (mode {@code train+probe/<every>}): a snapshot's cost is fixed, so with one
     * snapshot per {@code every} steps the time per image is t_base + (t_probe - t_base) / every, per repetition.
     * The probe batch is {@code measure.probe_images}' default of random images.
     */
    private static List<Row> probeOverhead(Settings settings, java.util.function.Consumer<Row> onRow) {
        ResNetConfig spec = spec(settings, BatchNorm.DEFAULT);
        ComputationGraph net = CifarResNet.build(spec, new SgdMomentum(0.01, 0.9), 1e-4, 1);
        int batch = settings.batchSizes().get(0);
        DataSet data = randomBatch(batch, settings.format());
        ProbeRecorder probe = new ProbeRecorder(1,
                randomBatch(org.bnlab.spec.MeasureSpec.DEFAULT.probeImages(), settings.format()));
        Throughput.Pair pair = Throughput.measurePair(() -> net.fit(data), () -> {
            probe.startEpoch(1); // lets the previous snapshot's rows go, as the trainer does each epoch
            probe.beforeIteration(net);
            net.fit(data);
        }, batch, settings.warmup(), settings.repetitions(), settings.iterations());
        // the most frequent interval measure.probe_every: auto chooses at this batch size (its cost budget)
        int every = org.bnlab.spec.MeasureSpec.DEFAULT.probeInterval(0, batch);
        return everyStepAndEvery(spec, "train+probe", batch, settings, pair, every, onRow);
    }

    /**
     * What one internal covariate shift measurement ({@link IcsMeasurement}, every weight layer) costs: the BN
     * network at the first batch size, timed with a measurement before every step against the same without, in
     * alternating repetitions (mode {@code train+ics/1}). A measurement's cost is fixed, so at
     * {@code measure.ics_every: N} the extra time is this row's overhead divided by N.
     */
    private static Row icsOverhead(Settings settings, java.util.function.Consumer<Row> onRow) {
        ResNetConfig spec = spec(settings, BatchNorm.DEFAULT);
        ComputationGraph net = CifarResNet.build(spec, new SgdMomentum(0.01, 0.9), 1e-4, 1);
        int batch = settings.batchSizes().get(0);
        DataSet data = randomBatch(batch, settings.format());
        IcsMeasurement.Recorder ics = new IcsMeasurement.Recorder(1, new IcsMeasurement.Meter(0));
        Throughput.Pair pair = Throughput.measurePair(() -> net.fit(data), () -> {
            ics.startEpoch(1); // lets the previous measurement's rows go, as the trainer does each epoch
            ics.beforeIteration(net, data);
            net.fit(data);
        }, batch, settings.warmup(), settings.repetitions(), settings.iterations());
        Row row = new Row(spec.modelName(), BatchNorm.TYPE, "train+ics/1", batch, settings.format().name(),
                pair.variant(), pair.baseline());
        onRow.accept(row);
        return row;
    }

    /**
     * What the landscape measurement ({@link LandscapeMeasurement}, {@code measure.landscape_steps}' default step
     * sizes) costs training: the BN network at the first batch size, measured on the step's batch before every step
     * against the same without, in alternating repetitions (mode {@code train+landscape/1}), then scaled as the
     * probe's row to one measurement per {@link LandscapeMeasurement#BUDGETED_EVERY} steps (mode
     * {@code train+landscape/<every>}), the interval the docs recommend for a 5% share of the training time.
     */
    private static List<Row> landscapeOverhead(Settings settings, java.util.function.Consumer<Row> onRow) {
        ResNetConfig spec = spec(settings, BatchNorm.DEFAULT);
        ComputationGraph net = CifarResNet.build(spec, new SgdMomentum(0.01, 0.9), 1e-4, 1);
        int batch = settings.batchSizes().get(0);
        DataSet data = randomBatch(batch, settings.format());
        List<Double> steps = org.bnlab.spec.MeasureSpec.DEFAULT.landscapeSteps();
        Throughput.Pair pair = Throughput.measurePair(() -> net.fit(data), () -> {
            LandscapeMeasurement.measure(net, data, steps, 1, net.getConfiguration().getIterationCount());
            net.fit(data);
        }, batch, settings.warmup(), settings.repetitions(), settings.iterations());
        return everyStepAndEvery(spec, "train+landscape", batch, settings, pair,
                LandscapeMeasurement.BUDGETED_EVERY, onRow);
    }

    /**
     * Two rows from one timed pair of a measurement taken before every step: {@code <mode>/1} as timed, and
     * {@code <mode>/<every>} scaled to one measurement per {@code every} steps. A measurement's cost is fixed, so the
     * time per image is t_base + (t_measured - t_base) / every, per repetition.
     */
    private static List<Row> everyStepAndEvery(ResNetConfig spec, String mode, int batch, Settings settings,
                                               Throughput.Pair pair, int every,
                                               java.util.function.Consumer<Row> onRow) {
        double[] base = pair.baseline().perRepetition();
        double[] each = pair.variant().perRepetition();
        double[] scaled = new double[base.length];
        for (int r = 0; r < base.length; r++) {
            double secondsPerImage = 1 / base[r] + (1 / each[r] - 1 / base[r]) / every;
            scaled[r] = 1 / secondsPerImage;
        }
        String layout = settings.format().name();
        Row everyStep = new Row(spec.modelName(), BatchNorm.TYPE, mode + "/1", batch, layout,
                pair.variant(), pair.baseline());
        Row atInterval = new Row(spec.modelName(), BatchNorm.TYPE, mode + "/" + every, batch, layout,
                new Throughput(scaled), pair.baseline());
        onRow.accept(everyStep);
        onRow.accept(atInterval);
        return List.of(everyStep, atInterval);
    }

    /**
     * The input pipeline alone: decoded uint8 images to normalised, augmented float batches (shuffle, pad-and-crop,
     * flip), prepared on its background thread as in training. It must stay far above the training rate.
     */
    private static Row dataPipeline(Settings settings, java.util.function.Consumer<Row> onRow) {
        int images = 10_000;
        byte[] pixels = new byte[images * 32 * 32 * 3];
        new java.util.Random(1).nextBytes(pixels);
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % 10;
        }
        ImageSet set = new ImageSet(pixels, labels, 32, 32,
                java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).toList());
        int batch = settings.batchSizes().get(0);
        Layout layout = settings.format() == CNN2DFormat.NHWC ? Layout.NHWC : Layout.NCHW;
        int[] epoch = {0};
        try (BatchIterator iterator = new BatchIterator(set, batch, ChannelStats.of(set), true, true, 1, layout)) {
            Throughput throughput = Throughput.measure(() -> {
                iterator.setEpoch(++epoch[0]);
                while (iterator.hasNext()) {
                    iterator.next();
                }
            }, images, 1, settings.repetitions(), 1);
            Row row = new Row("data", "-", "augment", batch, settings.format().name(), throughput);
            onRow.accept(row);
            return row;
        }
    }

    private static void add(List<Row> rows, java.util.function.Consumer<Row> onRow, Row row) {
        rows.add(row);
        onRow.accept(row);
    }

    private static DataSet randomBatch(int batch, CNN2DFormat format) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.randn(DataType.FLOAT, batch, 3, 32, 32)
                : Nd4j.randn(DataType.FLOAT, batch, 32, 32, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        return new DataSet(x, y);
    }
}
