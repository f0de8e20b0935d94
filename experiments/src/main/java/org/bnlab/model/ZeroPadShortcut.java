package org.bnlab.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The computation behind {@link ZeroPadShortcutVertex}: forward copies the strided input into the middle channels
 * of a zero tensor; backward copies the matching slice of the incoming gradient back to the strided positions and
 * leaves zeros elsewhere (the skipped pixels and padded channels do not influence the output).
 */
final class ZeroPadShortcut extends BaseGraphVertex {

    private final int outChannels;
    private final int stride;
    private final CNN2DFormat format;

    ZeroPadShortcut(ComputationGraph graph, String name, int index, DataType dataType, int outChannels, int stride,
                    CNN2DFormat format) {
        super(graph, name, index, null, null, dataType);
        this.outChannels = outChannels;
        this.stride = stride;
        this.format = format;
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("ZeroPadShortcut " + vertexName + ": input not set");
        }
        INDArray in = inputs[0];
        long[] outShape = outputShape(in.shape());
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, in.dataType(), outShape, 'c');
        out.get(channelSlice(in)).assign(in.get(strided(in.shape())));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("ZeroPadShortcut " + vertexName + ": epsilon not set");
        }
        INDArray in = inputs[0];
        INDArray inputGradient = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), in.shape(), 'c');
        inputGradient.get(strided(in.shape())).assign(epsilon.get(channelSlice(in)));
        return new Pair<>(null, new INDArray[]{inputGradient});
    }

    private int channelAxis() {
        return format == CNN2DFormat.NCHW ? 1 : 3;
    }

    private long[] outputShape(long[] inShape) {
        long[] out = inShape.clone();
        int c = channelAxis();
        for (int axis = 1; axis < 4; axis++) {
            out[axis] = axis == c ? outChannels : (inShape[axis] + stride - 1) / stride;
        }
        return out;
    }

    /** Every stride-th row and column of the input, starting at the first. */
    private INDArrayIndex[] strided(long[] inShape) {
        INDArrayIndex[] index = new INDArrayIndex[4];
        int c = channelAxis();
        for (int axis = 0; axis < 4; axis++) {
            index[axis] = (axis == 0 || axis == c) ? NDArrayIndex.all()
                    : NDArrayIndex.interval(0, stride, inShape[axis]);
        }
        return index;
    }

    /** The middle channels of the output, where the input's channels go. */
    private INDArrayIndex[] channelSlice(INDArray in) {
        long inChannels = in.size(channelAxis());
        long before = (outChannels - inChannels) / 2;
        INDArrayIndex[] index = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
        index[channelAxis()] = NDArrayIndex.interval(before, before + inChannels);
        return index;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("ZeroPadShortcut has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return maskArrays == null || maskArrays.length == 0 ? null : new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "ZeroPadShortcut(name=" + vertexName + ", outChannels=" + outChannels + ", stride=" + stride
                + ", format=" + format + ")";
    }
}
