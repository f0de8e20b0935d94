package org.bnlab.measure;

import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.model.Normalization;
import org.bnlab.model.ResNetSpec;
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
 * initialisation and a small learning rate so that its numbers stay finite while being timed.
 */
public final class ThroughputBenchmark {

    /** One measured configuration. */
    public record Row(String model, String normalization, String mode, int batchSize, String layout,
                      Throughput throughput) {
    }

    /**
     * @param depth       6n+2
     * @param batchSizes  batch sizes to time training at (inference is timed at the first)
     * @param format      activation layout
     * @param kernels     which code computes convolutions and BN
     * @param warmup      untimed iterations first
     * @param repetitions timed repetitions
     * @param iterations  iterations per repetition
     */
    public record Settings(int depth, List<Integer> batchSizes, CNN2DFormat format, KernelPath kernels, int warmup,
                           int repetitions, int iterations) {
        public Settings {
            batchSizes = List.copyOf(batchSizes);
            if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("batch sizes must be positive, got " + batchSizes);
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
        for (Normalization normalization : Normalization.values()) {
            ResNetSpec spec = ResNetSpec.resnet20(10).withDepth(settings.depth()).withNormalization(normalization)
                    .withInit(normalization == Normalization.NONE ? Initialization.ZERO_RESIDUAL : Initialization.HE)
                    .withFormat(settings.format()).withKernels(settings.kernels());
            ComputationGraph net = CifarResNet.build(spec, new SgdMomentum(0.01, 0.9), 1e-4, 1);
            for (int batch : settings.batchSizes()) {
                DataSet data = randomBatch(batch, settings.format());
                Throughput train = Throughput.measure(() -> net.fit(data), batch, settings.warmup(),
                        settings.repetitions(), settings.iterations());
                add(rows, onRow, new Row(spec.modelName(), normalization.id(), "train", batch,
                        settings.format().name(), train));
            }
            int batch = settings.batchSizes().get(0);
            INDArray features = randomBatch(batch, settings.format()).getFeatures();
            Throughput inference = Throughput.measure(() -> net.outputSingle(false, features), batch,
                    settings.warmup(), settings.repetitions(), settings.iterations());
            add(rows, onRow, new Row(spec.modelName(), normalization.id(), "inference", batch,
                    settings.format().name(), inference));
        }
        return rows;
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
