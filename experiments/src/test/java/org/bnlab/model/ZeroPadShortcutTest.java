package org.bnlab.model;

import org.bnlab.testing.Backend;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.*;

/** Option A: out[:, 2 + c, y, x] = in[:, c, 2y, 2x] for 4 -> 8 channels, zeros elsewhere; gradients go back there. */
@ExtendWith(Backend.class)
class ZeroPadShortcutTest {

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void forwardSubsamplesAndPadsChannelsBackwardRoutesGradientsBack(CNN2DFormat format) {
        ZeroPadShortcut vertex = (ZeroPadShortcut) new ZeroPadShortcutVertex(8, 2, format)
                .instantiate(null, "shortcut", 0, null, false, DataType.DOUBLE);
        INDArray nchw = Nd4j.rand(DataType.DOUBLE, 2, 4, 6, 6);
        INDArray in = format == CNN2DFormat.NCHW ? nchw : nchw.permute(0, 2, 3, 1).dup();
        vertex.setInputVertices(new org.deeplearning4j.nn.graph.vertex.VertexIndices[]{
                new org.deeplearning4j.nn.graph.vertex.VertexIndices(0, 0)});
        vertex.setInput(0, in, LayerWorkspaceMgr.noWorkspaces());
        INDArray out = vertex.doForward(true, LayerWorkspaceMgr.noWorkspaces());
        INDArray outNchw = format == CNN2DFormat.NCHW ? out : out.permute(0, 3, 1, 2);
        assertArrayEquals(new long[]{2, 8, 3, 3}, outNchw.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 8; c++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        double expected = (c < 2 || c >= 6) ? 0 : nchw.getDouble(n, c - 2, 2 * y, 2 * x);
                        assertEquals(expected, outNchw.getDouble(n, c, y, x));
                    }
                }
            }
        }

        INDArray epsNchw = Nd4j.rand(DataType.DOUBLE, 2, 8, 3, 3);
        vertex.setEpsilon(format == CNN2DFormat.NCHW ? epsNchw : epsNchw.permute(0, 2, 3, 1).dup());
        INDArray grad = vertex.doBackward(false, LayerWorkspaceMgr.noWorkspaces()).getSecond()[0];
        INDArray gradNchw = format == CNN2DFormat.NCHW ? grad : grad.permute(0, 3, 1, 2);
        for (int c = 0; c < 4; c++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    double expected = (y % 2 == 0 && x % 2 == 0) ? epsNchw.getDouble(1, c + 2, y / 2, x / 2) : 0;
                    assertEquals(expected, gradNchw.getDouble(1, c, y, x));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void survivesConfigurationJsonRoundTrip(CNN2DFormat format) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(8, 8, 4, format))
                .addVertex("a", new ZeroPadShortcutVertex(8, 2, format), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "a")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).build(), "pool")
                .setOutputs("out").build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf.getVertices().get("a"), back.getVertices().get("a"));
        ComputationGraph net = new ComputationGraph(back);
        net.init();
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(2, 4, 8, 8) : Nd4j.rand(2, 8, 8, 4);
        assertArrayEquals(new long[]{2, 3}, net.outputSingle(x).shape());
    }
}
