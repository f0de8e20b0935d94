package org.bnlab.kernels;

import org.bnlab.norm.Normalizers;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The fused {@link AddReluVertex} against DL4J's ElementWiseVertex(Add) + ReLU ActivationLayer. */
@ExtendWith(Backend.class)
class AddReluTest {

    /** in -> conv a, in -> conv b (the input itself feeds the add too, as an identity shortcut does), relu(a + in). */
    private static ComputationGraphConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .updater(new SgdMomentum(0.05, 0.9)).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 4, CNN2DFormat.NHWC))
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4).hasBias(false)
                        .activation(Activation.IDENTITY).dataFormat(CNN2DFormat.NHWC).build(), "in")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "in")
                .addLayer("relu", new ActivationLayer(Activation.RELU), "add")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4).hasBias(false)
                        .activation(Activation.IDENTITY).dataFormat(CNN2DFormat.NHWC).build(), "relu")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
    }

    private static MultiDataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 6, 6, 4).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 5, 3);
        for (int i = 0; i < 5; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new MultiDataSet(x, y);
    }

    @Test
    void acceleratedGraphUsesTheFusedVertexUnderTheReluName() {
        ComputationGraphConfiguration fused = Kernels.accelerate(conf(), true, Normalizers::onOneDnn);
        assertInstanceOf(AddReluVertex.class, fused.getVertices().get("relu"));
        assertFalse(fused.getVertices().containsKey("add"));
        assertEquals(java.util.List.of("a", "in"), fused.getVertexInputs().get("relu"));
        assertFalse(Kernels.accelerate(conf(), false, Normalizers::onOneDnn).getVertices().get("relu") instanceof AddReluVertex);
        assertEquals(fused, ComputationGraphConfiguration.fromJson(fused.toJson()));
    }

    @ParameterizedTest(name = "oneDNN disabled={0}")
    @CsvSource({"false", "true"})
    void trainsLikeThePlainPair(boolean disabled) {
        if (disabled) {
            System.setProperty(Dnnl.DISABLE_PROPERTY, "true");
        }
        try {
            ComputationGraph plain = new ComputationGraph(conf());
            plain.init();
            ComputationGraph fast = new ComputationGraph(Kernels.accelerate(conf(), true, Normalizers::onOneDnn));
            fast.init();
            fast.setParams(plain.params().dup());

            MultiDataSet b = batch(1);
            Map<String, INDArray> actsPlain = plain.feedForward(b.getFeatures(0), true);
            Map<String, INDArray> actsFast = fast.feedForward(b.getFeatures(0), true);
            Compare.close(actsPlain.get("relu"), actsFast.get("relu"), 1e-6, "relu(a + in)");
            assertTrue(actsFast.get("relu").minNumber().doubleValue() >= 0);

            plain.setInputs(b.getFeatures());
            plain.setLabels(b.getLabels());
            plain.computeGradientAndScore();
            fast.setInputs(b.getFeatures());
            fast.setLabels(b.getLabels());
            fast.computeGradientAndScore();
            assertEquals(plain.score(), fast.score(), 1e-6);
            Compare.close(plain.gradient().gradient(), fast.gradient().gradient(), 1e-5, "parameter gradients");

            for (int step = 0; step < 3; step++) {
                MultiDataSet s = batch(10 + step);
                plain.fit(s);
                fast.fit(s);
                assertEquals(plain.score(), fast.score(), 1e-5, "loss at step " + step);
            }
            Compare.close(plain.params(), fast.params(), 1e-4, "parameters after 3 steps");
        } finally {
            System.clearProperty(Dnnl.DISABLE_PROPERTY);
        }
    }
}
