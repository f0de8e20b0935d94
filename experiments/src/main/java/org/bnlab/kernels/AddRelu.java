package org.bnlab.kernels;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * The computation behind {@link AddReluVertex}: forward {@code y = relu(a + b)}, backward
 * {@code da = db = dy * (y > 0)}. On oneDNN ({@link AddReluPlan}) for dense float inputs, else with ND4J ops (CUDA,
 * other data types). The training forward pass keeps its output (which lives in DL4J's activation workspace until
 * the backward pass, as every layer's input does) for the mask.
 */
final class AddRelu extends BaseGraphVertex {

    private AddReluPlan plan;
    /** The last training forward pass's output, for the backward pass; null otherwise. */
    private INDArray output;

    AddRelu(ComputationGraph graph, String name, int index, DataType dataType) {
        super(graph, name, index, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    private INDArray[] checkedInputs() {
        INDArray a = inputs[0], b = inputs[1];
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalStateException("AddRelu " + vertexName + ": inputs must have the same shape, got "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        return new INDArray[]{a.castTo(dataType), b.castTo(dataType)};
    }

    private boolean onDnnl(INDArray... arrays) {
        if (dataType != DataType.FLOAT || !Dnnl.isAvailable()) {
            return false;
        }
        for (INDArray x : arrays) {
            if (!Dnnl.isDense(x)) {
                return false;
            }
        }
        return true;
    }

    private AddReluPlan plan(long length) {
        if (plan == null || plan.length != length) {
            plan = new AddReluPlan(length);
        }
        return plan;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("AddRelu " + vertexName + ": inputs not set");
        }
        INDArray[] in = checkedInputs();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, in[0].shape(), 'c');
        relu(in[0], in[1], out);
        output = training ? out : null;
        return out;
    }

    private void relu(INDArray a, INDArray b, INDArray out) {
        if (onDnnl(a, b)) {
            plan(out.length()).forward(a, b, out);
        } else {
            out.assign(a).addi(b);
            Transforms.relu(out, false);
        }
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("AddRelu " + vertexName + ": epsilon not set");
        }
        INDArray y = output;
        if (y == null) {
            // no training forward pass kept (backprop after an inference pass): recompute the output
            INDArray[] in = checkedInputs();
            y = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, in[0].shape(), 'c');
            relu(in[0], in[1], y);
        }
        INDArray eps = epsilon.castTo(dataType);
        INDArray da = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, y.shape(), 'c');
        if (onDnnl(y, eps)) {
            plan(y.length()).backward(y, eps, da);
        } else {
            Nd4j.getExecutioner().exec(new RectifiedLinearDerivative(y, eps, da, 0.0));
        }
        // the two inputs get equal gradients, but separate arrays: DL4J sums gradients in place into the first
        // array a vertex receives, which must not be shared
        INDArray db = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, da);
        return new Pair<>(null, new INDArray[]{da, db});
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("AddRelu has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        // as DL4J's ElementWiseVertex: no mask if either input has none, else their OR
        if (maskArrays == null || maskArrays.length < 2 || maskArrays[0] == null || maskArrays[1] == null) {
            return new Pair<>(null, currentMaskState);
        }
        INDArray or = Nd4j.createUninitialized(DataType.BOOL, maskArrays[0].shape());
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.bool.Or(
                maskArrays[0].castTo(DataType.BOOL), maskArrays[1].castTo(DataType.BOOL), or));
        return new Pair<>(or.castTo(Nd4j.defaultFloatingPointType()), currentMaskState);
    }

    @Override
    public String toString() {
        return "AddRelu(name=" + vertexName + ")";
    }
}
