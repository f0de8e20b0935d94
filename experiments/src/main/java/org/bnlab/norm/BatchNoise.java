package org.bnlab.norm;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * The noise layer of {@link NoisyBatchNorm} (its configuration; the computation is {@link BatchNoiseLayer}): in
 * training, x + m_c + s_c z per activation, with m_c ~ U(-noiseMean, noiseMean) and s_c ~ U(0, noiseStd) drawn per
 * step and channel and z ~ N(0, 1) i.i.d.; the identity in inference. Input and output shapes are equal: [N, C, H, W]
 * ({@code format} NCHW), [N, H, W, C] (NHWC) or [N, C] (after a Dense layer, {@code format} null). Written as ND4J
 * operations, so it runs on any backend.
 */
public class BatchNoise extends NoParamLayer {

    private double noiseMean;
    private double noiseStd;
    /** The activations' layout; null after a Dense layer. */
    private CNN2DFormat format;

    /** For Jackson (DL4J writes layer configurations into a network's configuration.json). */
    public BatchNoise() {
    }

    public BatchNoise(double noiseMean, double noiseStd, CNN2DFormat format) {
        this.noiseMean = noiseMean;
        this.noiseStd = noiseStd;
        this.format = format;
    }

    public double getNoiseMean() {
        return noiseMean;
    }

    public void setNoiseMean(double noiseMean) {
        this.noiseMean = noiseMean;
    }

    public double getNoiseStd() {
        return noiseStd;
    }

    public void setNoiseStd(double noiseStd) {
        this.noiseStd = noiseStd;
    }

    public CNN2DFormat getFormat() {
        return format;
    }

    public void setFormat(CNN2DFormat format) {
        this.format = format;
    }

    @Override
    public BatchNoise clone() {
        return (BatchNoise) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchNoise other && super.equals(o) && noiseMean == other.noiseMean
                && noiseStd == other.noiseStd && format == other.format;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), noiseMean, noiseStd, format);
    }

    /** The axis of the channels in the layer's input: 1 for NCHW and for Dense activations, 3 for NHWC. */
    int channelAxis() {
        return format == CNN2DFormat.NHWC ? 3 : 1;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        BatchNoiseLayer layer = new BatchNoiseLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null) {
            throw new IllegalStateException("no input type for layer " + getLayerName());
        }
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, BatchNoise.class, inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, perExample, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
