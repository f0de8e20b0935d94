package org.bnlab.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * Configuration of shortcut option A (He et al. 2016, section 4.2): the identity shortcut where a stage halves the
 * resolution and widens the channels, with no parameters. The input is subsampled with the given stride (every
 * other pixel, starting at the first, which is where a stride-2 3x3 convolution with padding 1 centres its first
 * window) and the extra channels are zeros split evenly before and after the input's, as in the reference
 * implementation ({@code F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4))}).
 *
 * <p>DL4J has no layer for this, so it is a graph vertex; {@link ZeroPadShortcut} does the work. Fields are
 * serialised by DL4J's Jackson so checkpoints of networks using it restore.
 */
public final class ZeroPadShortcutVertex extends GraphVertex {

    private final int outChannels;
    private final int stride;
    private final CNN2DFormat format;

    public ZeroPadShortcutVertex(@JsonProperty("outChannels") int outChannels, @JsonProperty("stride") int stride,
                                 @JsonProperty("format") CNN2DFormat format) {
        if (outChannels <= 0 || stride <= 0) {
            throw new IllegalArgumentException("outChannels and stride must be positive");
        }
        this.outChannels = outChannels;
        this.stride = stride;
        this.format = format == null ? CNN2DFormat.NCHW : format;
    }

    public int getOutChannels() {
        return outChannels;
    }

    public int getStride() {
        return stride;
    }

    public CNN2DFormat getFormat() {
        return format;
    }

    @Override
    public ZeroPadShortcutVertex clone() {
        return new ZeroPadShortcutVertex(outChannels, stride, format);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZeroPadShortcutVertex other && other.outChannels == outChannels && other.stride == stride
                && other.format == format;
    }

    @Override
    public int hashCode() {
        return Objects.hash(outChannels, stride, format);
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new ZeroPadShortcut(graph, name, idx, networkDatatype, outChannels, stride, format);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1 || !(vertexInputs[0] instanceof InputType.InputTypeConvolutional in)) {
            throw new InvalidInputTypeException("ZeroPadShortcutVertex takes one convolutional input");
        }
        if (in.getChannels() > outChannels || (outChannels - in.getChannels()) % 2 != 0) {
            throw new InvalidInputTypeException("cannot zero-pad " + in.getChannels() + " channels to " + outChannels
                    + ": the difference must be even and not negative");
        }
        return InputType.convolutional(subsampled(in.getHeight()), subsampled(in.getWidth()), outChannels, format);
    }

    private long subsampled(long size) {
        return (size + stride - 1) / stride;
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, ZeroPadShortcutVertex.class, inputTypes[0], out)
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
