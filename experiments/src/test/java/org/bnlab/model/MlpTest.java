package org.bnlab.model;

import org.bnlab.norm.Normalizer;
import org.bnlab.norm.NoNorm;
import org.bnlab.norm.BatchNorm;
import org.bnlab.train.ParameterCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bnlab.testing.Backend;
import org.bnlab.train.StepSchedule;
import org.bnlab.train.TrainingRecipe;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

@ExtendWith(Backend.class)
class MlpTest {

    private static MlpConfig fashion(Normalizer normalization) {
        return new MlpConfig(28, 28, 1, List.of(256), 10, normalization);
    }

    private static ComputationGraph build(MlpConfig spec) {
        return Mlp.build(spec, new Adam(1e-3), 0, 42);
    }

    /** {@code n} random inputs [n, 1, 28, 28] with one-hot labels. */
    private static DataSet batch(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 1, 28, 28);
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        return new DataSet(x, y);
    }

    @Test
    void parameterCountsOf784x256x10() {
        // Dense layers with biases: 784*256 + 256 (hidden) + 256*10 + 10 (classifier)
        ComputationGraph plain = build(fashion(NoNorm.DEFAULT));
        assertEquals(784 * 256 + 256 + 256 * 10 + 10, ParameterCount.trainable(plain));
        assertEquals(203_530, ParameterCount.trainable(plain));
        assertEquals(plain.numParams(), ParameterCount.trainable(plain));
        // BN adds gamma and beta per hidden unit (trained) and running mean and variance (not trained)
        ComputationGraph bn = build(fashion(BatchNorm.DEFAULT));
        assertEquals(203_530 + 2 * 256, ParameterCount.trainable(bn));
        assertEquals(204_042 + 2 * 256, bn.numParams());
        Map<String, INDArray> params = bn.paramTable(false);
        assertArrayEquals(new long[] {784, 256}, params.get("dense1_W").shape());
        assertEquals(256, params.get("dense1_b").length());
        assertEquals(256, params.get("dense1_bn_gamma").length());
        assertEquals(256, params.get("dense1_bn_beta").length());
        assertArrayEquals(new long[] {256, 10}, params.get("fc_W").shape());
        assertEquals("mlp-784-256-10", fashion(NoNorm.DEFAULT).modelName());
        assertEquals(2, fashion(NoNorm.DEFAULT).weightLayers());
    }

    @Test
    void severalHiddenLayersAndHeInitialisation() {
        MlpConfig spec = new MlpConfig(28, 28, 1, List.of(256, 128, 100), 10, BatchNorm.DEFAULT);
        ComputationGraph net = build(spec);
        assertEquals("mlp-784-256-128-100-10", spec.modelName());
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 100 + 100 + 100 * 10 + 10 + 2 * (256 + 128 + 100),
                ParameterCount.trainable(net));
        INDArray w = net.getParam("dense1_W");
        // He et al. 2015: std sqrt(2 / fan_in) = 0.0505 for 784 inputs; 200,704 draws put the sample std within 1%
        assertEquals(Math.sqrt(2.0 / 784), w.stdNumber().doubleValue(), 0.01 * Math.sqrt(2.0 / 784));
        assertEquals(0, net.getParam("dense1_b").sumNumber().doubleValue(), 0);
        assertEquals(Math.sqrt(2.0 / 100), net.getParam("fc_W").stdNumber().doubleValue(), 0.05 * Math.sqrt(0.02));
    }

    @Test
    void outputsAreProbabilitiesAndBatchNormStandardisesTheHiddenUnits() {
        ComputationGraph net = build(fashion(BatchNorm.DEFAULT));
        INDArray x = batch(64, 1).getFeatures();
        Map<String, INDArray> training = net.feedForward(x, true);
        INDArray normalised = training.get("dense1_bn");
        assertArrayEquals(new long[] {64, 256}, normalised.shape());
        // in training mode each unit is standardised over the batch (gamma 1, beta 0 at the start)
        assertEquals(0, normalised.mean(0).amaxNumber().doubleValue(), 1e-4);
        assertEquals(1, normalised.var(false, 0).meanNumber().doubleValue(), 1e-3);
        INDArray out = net.outputSingle(x);
        assertArrayEquals(new long[] {64, 10}, out.shape());
        assertEquals(64, out.sumNumber().doubleValue(), 1e-3);
    }

    @Test
    void trainsAndSurvivesACheckpointWithAdamAndTheStepSchedule(@TempDir Path tmp) throws IOException {
        TrainingRecipe recipe = TrainingRecipe.paper(2, 7).withLearningRate(1e-3); // divided by 10 at 50% and 75%
        Adam adam = Adam.builder().learningRateSchedule(StepSchedule.of(recipe, 4)).beta1(0.9).beta2(0.999)
                .epsilon(1e-8).build();
        ComputationGraph net = Mlp.build(fashion(BatchNorm.DEFAULT), adam, 1e-4, 7);
        DataSet data = batch(32, 3);
        double before = net.score(data);
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        assertTrue(net.score(data) < before / 2, "loss " + before + " -> " + net.score(data));
        File file = tmp.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(net.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        net.fit(data);
        restored.fit(data);
        assertEquals(net.params(), restored.params(), "one more step is the same after a restore");
    }

    @Test
    void impossibleSpecificationsAreRefused() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new MlpConfig(28, 28, 1, List.of(), 10, NoNorm.DEFAULT));
        assertTrue(none.getMessage().contains("at least one hidden layer"), none.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new MlpConfig(28, 28, 1, List.of(256), 1, NoNorm.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> new MlpConfig(0, 28, 1, List.of(256), 10, NoNorm.DEFAULT));
    }
}
