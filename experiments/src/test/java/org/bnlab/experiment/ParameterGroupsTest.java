package org.bnlab.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bnlab.train.ParameterCount;
import org.bnlab.spec.Origins;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.testing.Backend;
import org.bnlab.train.TrainingRecipe;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code train.groups}: frozen groups stay bit-identical, a group's own schedule and weight decay take effect. */
@ExtendWith(Backend.class)
class ParameterGroupsTest {

    private static final int BATCHES_PER_EPOCH = 4;

    private static RunSpec spec(String kernels, String... settings) {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(tree, "model.depth", SpecCodec.parseValue("8"));
        SpecCodec.set(tree, "execution.kernels", SpecCodec.parseValue(kernels));
        for (int i = 0; i < settings.length; i += 2) {
            SpecCodec.set(tree, settings[i], SpecCodec.parseValue(settings[i + 1]));
        }
        return SpecCodec.toSpec(tree, new Origins());
    }

    private static ExperimentData.Description description() {
        return new ExperimentData.Description("cifar10", "test", null, 32, 3, 10, 16, 8, "test", 1, null, 1, 0,
                false, null, null, "nhwc", null);
    }

    private static ComputationGraph network(RunSpec spec) {
        TrainingRecipe training = RunNetwork.recipe(spec.train(), spec.seed());
        return RunNetwork.fresh(spec, RunNetwork.input(spec, description()), training, BATCHES_PER_EPOCH);
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 32, 32, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 10);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 10, 1);
        }
        return new DataSet(x, y);
    }

    private static Map<String, INDArray> copy(ComputationGraph net) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        net.paramTable(false).forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    private static boolean isGammaOrBeta(String key) {
        return key.endsWith("_gamma") || key.endsWith("_beta");
    }

    private static boolean isRunningStatistic(String key) {
        return key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev");
    }

    private static Map<String, INDArray> train(ComputationGraph net, int steps) {
        Map<String, INDArray> before = copy(net);
        for (int i = 0; i < steps; i++) {
            net.fit(batch(i));
        }
        return before;
    }

    @ParameterizedTest
    @ValueSource(strings = {"onednn", "dl4j"})
    void batchNormOnlyChangesOnlyGammaAndBeta(String kernels) {
        ComputationGraph net = network(spec(kernels, "train.groups.weights.trainable", "false"));
        Map<String, INDArray> before = train(net, 3);
        int changed = 0;
        for (var e : net.paramTable(false).entrySet()) {
            String key = e.getKey();
            if (isGammaOrBeta(key)) {
                changed += e.getValue().equals(before.get(key)) ? 0 : 1;
            } else if (!isRunningStatistic(key)) {
                assertEquals(before.get(key), e.getValue(), key + " is frozen but changed");
            }
        }
        long gammaBetaLayers = before.keySet().stream().filter(ParameterGroupsTest::isGammaOrBeta).count();
        assertEquals(gammaBetaLayers, changed, "every gamma and beta trains");
        long gammaBeta = before.entrySet().stream().filter(e -> isGammaOrBeta(e.getKey()))
                .mapToLong(e -> e.getValue().length()).sum();
        assertEquals(gammaBeta, ParameterCount.trainable(net), "only gamma and beta are trainable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"onednn", "dl4j"})
    void frozenBatchNormKeepsGammaOneAndBetaZero(String kernels) {
        ComputationGraph net = network(spec(kernels, "train.groups.batchnorm.trainable", "false"));
        Map<String, INDArray> before = train(net, 3);
        int changed = 0;
        for (var e : net.paramTable(false).entrySet()) {
            String key = e.getKey();
            if (isGammaOrBeta(key)) {
                assertEquals(before.get(key), e.getValue(), key + " is frozen but changed");
                double expected = key.endsWith("_gamma") ? 1 : 0;
                assertEquals(expected, e.getValue().minNumber().doubleValue(), key);
                assertEquals(expected, e.getValue().maxNumber().doubleValue(), key);
            } else if (!isRunningStatistic(key)) {
                changed += e.getValue().equals(before.get(key)) ? 0 : 1;
            }
        }
        assertTrue(changed > 5, "the weights train: " + changed + " changed");
        ComputationGraph all = network(spec(kernels));
        long gammaBeta = before.entrySet().stream().filter(e -> isGammaOrBeta(e.getKey()))
                .mapToLong(e -> e.getValue().length()).sum();
        assertEquals(ParameterCount.trainable(all) - gammaBeta, ParameterCount.trainable(net));
    }

    @Test
    void exponentialBatchNormScheduleDecaysPerEpochWhileWeightsFollowTheStepSchedule() {
        RunSpec spec = spec("onednn", "train.epochs", "4", "train.groups.batchnorm.learning_rate", "0.05",
                "train.groups.batchnorm.schedule", "{type: exponential, decay_per_epoch: 0.9}");
        ComputationGraph net = network(spec);
        IUpdater bn = net.getLayer("stem_bn").conf().getLayer().getUpdaterByParam("gamma");
        IUpdater conv = net.getLayer("stem_conv").conf().getLayer().getUpdaterByParam("W");
        for (int epoch = 0; epoch < 4; epoch++) {
            int iteration = epoch * BATCHES_PER_EPOCH;
            assertEquals(0.05 * Math.pow(0.9, epoch), bn.getLearningRate(iteration, epoch), 1e-12, "epoch " + epoch);
        }
        // shared step schedule: 0.1, divided by 10 at 50% and 75% of 16 iterations
        assertEquals(0.1, conv.getLearningRate(0, 0), 1e-12);
        assertEquals(0.01, conv.getLearningRate(8, 2), 1e-12);
        assertEquals(0.001, conv.getLearningRate(12, 3), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"onednn", "dl4j"})
    void batchNormWeightDecayChangesGamma(String kernels) {
        ComputationGraph plain = network(spec(kernels));
        ComputationGraph decayed = network(spec(kernels, "train.groups.batchnorm.weight_decay", "0.5"));
        assertEquals(plain.params(), decayed.params(), "same initialisation");
        train(plain, 2);
        train(decayed, 2);
        INDArray g0 = plain.getParam("stem_bn_gamma");
        INDArray g1 = decayed.getParam("stem_bn_gamma");
        assertNotEquals(g0, g1, "weight decay on gamma changes it");
        assertEquals(plain.getParam("stem_conv_W").length(), decayed.getParam("stem_conv_W").length());
        // the decay pulls gamma towards 0: its mean ends lower with decay
        assertTrue(g1.meanNumber().doubleValue() < g0.meanNumber().doubleValue(),
                g1.meanNumber() + " vs " + g0.meanNumber());
    }

    @ParameterizedTest
    @ValueSource(strings = {"onednn", "dl4j"})
    void aCheckpointKeepsEachGroupsUpdaterAndState(String kernels, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        RunSpec spec = spec(kernels, "train.groups.weights.trainable", "false",
                "train.groups.batchnorm.learning_rate", "0.05", "train.groups.batchnorm.weight_decay", "0.001",
                "train.groups.batchnorm.schedule", "{type: exponential, decay_per_epoch: 0.9}");
        ComputationGraph net = network(spec);
        train(net, 2);
        java.io.File file = dir.resolve("checkpoint.zip").toFile();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(net.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(ParameterCount.trainable(net), ParameterCount.trainable(restored));
        // continuing from the checkpoint gives the same parameters as continuing the original
        net.fit(batch(7));
        restored.fit(batch(7));
        assertEquals(net.params(), restored.params());
    }

    @ParameterizedTest
    @ValueSource(strings = {"onednn", "dl4j"})
    void alternatingPhasesTrainOneGroupPerPhase(String kernels) {
        ComputationGraph net = network(spec(kernels, "train.phases",
                "{alternate_every_epochs: 1, order: [batchnorm, weights]}"));
        assertEquals(ParameterCount.trainable(network(spec(kernels))), ParameterCount.trainable(net));
        for (int epoch = 0; epoch < 3; epoch++) {
            net.getConfiguration().setEpochCount(epoch);
            Map<String, INDArray> before = train(net, 2);
            boolean bnPhase = epoch % 2 == 0;
            int gammaBetaChanged = 0;
            int weightsChanged = 0;
            for (var e : net.paramTable(false).entrySet()) {
                String key = e.getKey();
                boolean changed = !e.getValue().equals(before.get(key));
                if (isGammaOrBeta(key)) {
                    gammaBetaChanged += changed ? 1 : 0;
                } else if (!isRunningStatistic(key)) {
                    weightsChanged += changed ? 1 : 0;
                }
            }
            assertEquals(bnPhase, gammaBetaChanged > 0, "epoch " + epoch + ": gamma/beta changed " + gammaBetaChanged);
            assertEquals(!bnPhase, weightsChanged > 0, "epoch " + epoch + ": weights changed " + weightsChanged);
            if (bnPhase) {
                assertEquals(0, weightsChanged);
            } else {
                assertEquals(0, gammaBetaChanged);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onednn", "dl4j"})
    void theDefaultGroupsLeaveTheNetworkAsItWasBeforeGroupsExisted(String kernels) {
        RunSpec spec = spec(kernels);
        TrainingRecipe training = RunNetwork.recipe(spec.train(), spec.seed());
        ComputationGraph before = new ComputationGraph(RunNetwork.factory(spec).configuration(spec.model(),
                RunNetwork.input(spec, description()),
                org.bnlab.train.Updaters.updater(spec.train().optimizer(), training, BATCHES_PER_EPOCH),
                training.weightDecay(), training.seed()));
        before.init();
        assertEquals(before.getConfiguration().toJson(), network(spec).getConfiguration().toJson());
    }
}
