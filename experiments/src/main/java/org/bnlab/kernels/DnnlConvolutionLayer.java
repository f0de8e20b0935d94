package org.bnlab.kernels;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A DL4J {@link ConvolutionLayer} configuration whose layer runs forward and backward on oneDNN's own convolution
 * primitives ({@link DnnlConvolution}). Everything else is DL4J's: the same builder options, the same parameters
 * ({@code W} as {@code [out, in, kH, kW]}, optional {@code b}), initialisation, regularisation and JSON form (with this
 * class name), so parameters and checkpoints are interchangeable with a plain ConvolutionLayer of the same settings.
 *
 * <p>Build one with {@code new DnnlConvolutionLayer.Builder(3, 3)...build()} (same methods as
 * {@link ConvolutionLayer.Builder}), convert a plain one with {@link #of(ConvolutionLayer)}, or convert a whole graph
 * with {@link Kernels#accelerate}.
 */
public class DnnlConvolutionLayer extends ConvolutionLayer {

    /** For Jackson; use the builder or {@link #of}. */
    public DnnlConvolutionLayer() {
        super();
    }

    /** The same configuration as {@code plain} (a plain {@link ConvolutionLayer}, not a subclass), on oneDNN. */
    public static DnnlConvolutionLayer of(ConvolutionLayer plain) {
        if (plain.getClass() != ConvolutionLayer.class && !(plain instanceof DnnlConvolutionLayer)) {
            throw new IllegalArgumentException("only plain 2D ConvolutionLayer can be converted, not "
                    + plain.getClass().getName());
        }
        DnnlConvolutionLayer fast = new DnnlConvolutionLayer();
        Fields.copy(plain.clone(), fast, ConvolutionLayer.class);
        return fast;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        org.deeplearning4j.nn.conf.layers.LayerValidation.assertNInNOutSet("DnnlConvolutionLayer", getLayerName(),
                layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new DnnlConvolution(conf, networkDataType), this, conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public DnnlConvolutionLayer clone() {
        return (DnnlConvolutionLayer) super.clone();
    }

    /** {@link ConvolutionLayer.Builder} whose {@code build()} gives a {@link DnnlConvolutionLayer}. */
    public static class Builder extends ConvolutionLayer.Builder {
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        public Builder(int[] kernelSize, int[] stride, int[] padding) {
            super(kernelSize, stride, padding);
        }

        @Override
        public DnnlConvolutionLayer build() {
            return of(super.build());
        }
    }
}
