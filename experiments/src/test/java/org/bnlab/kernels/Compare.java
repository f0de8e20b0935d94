package org.bnlab.kernels;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.*;

/** Test helpers: standalone layers and float-tolerance comparison. */
final class Compare {
    private Compare() {
    }

    /** A layer instance of {@code lc} with the given flat parameters (or initialised ones when null). */
    static Layer layer(org.deeplearning4j.nn.conf.layers.Layer lc, INDArray params) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).layer(lc).build();
        long n = conf.getLayer().initializer().numParams(conf);
        INDArray view = params == null ? Nd4j.create(DataType.FLOAT, 1, n) : params.dup();
        Layer l = conf.getLayer().instantiate(conf, Collections.emptyList(), 0, view, params == null, DataType.FLOAT);
        l.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, n));
        return l;
    }

    /**
     * A plain DL4J convolution layer to compare with. DL4J 1.0.0-M2.1's layer helper (on under the project's fix)
     * gets the input gradient of an NHWC convolution with a ReLU activation wrong (checked against finite
     * differences: DnnlConvolutionTest#dl4jHelperNhwcReluGradientIsWrong); its own code, without the helper, is
     * right, so such layers are built with helpers off.
     */
    static Layer plainConvolution(org.deeplearning4j.nn.conf.layers.ConvolutionLayer lc, INDArray params) {
        boolean helperBug = lc.getCnn2dDataFormat() == org.deeplearning4j.nn.conf.CNN2DFormat.NHWC
                && !(lc.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationIdentity);
        if (!helperBug) {
            return layer(lc, params);
        }
        String property = org.deeplearning4j.config.DL4JSystemProperties.DISABLE_HELPER_PROPERTY;
        String before = System.getProperty(property);
        System.setProperty(property, "true");
        try {
            return layer(lc, params);
        } finally {
            System.setProperty(property, before);
        }
    }

    /** max |actual - expected| relative to max |expected| (shapes must match). */
    static double relError(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-12);
        return expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }

    static void close(INDArray expected, INDArray actual, double tol, String what) {
        double e = relError(expected, actual);
        assertTrue(e <= tol, what + ": relative error " + e + " > " + tol);
    }
}
