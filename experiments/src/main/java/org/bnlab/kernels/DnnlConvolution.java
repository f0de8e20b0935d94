package org.bnlab.kernels;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DL4J's {@link ConvolutionLayer} with forward and backward on oneDNN ({@link ConvPlan}); it returns what the plain
 * layer returns (activations in the configured layout as {@link ArrayType#ACTIVATIONS}, the input gradient as
 * {@link ArrayType#ACTIVATION_GRAD}, weight and bias gradients written into the gradient views under the keys
 * {@code W} and {@code b}). Falls back to the plain layer (libnd4j, its oneDNN helper or cuDNN) when oneDNN is not
 * available ({@link Dnnl#isAvailable()}), for non-float networks, dilation other than 1, or inputs that are not 4D.
 *
 * <p>A plain ReLU activation (as {@link Kernels#accelerate} sets when it fuses a following ReLU layer into the
 * convolution) runs inside the convolution primitive, and its backward pass reads the output this layer kept from
 * its training forward pass instead of recomputing the convolution as DL4J's layer does. The kept output is used
 * only for the same input array and unchanged weights; otherwise the convolution is recomputed, as in DL4J.
 */
public class DnnlConvolution extends ConvolutionLayer {

    private static final int MAX_PLANS = 4;

    /** Plans for the shapes this layer has seen, most recent last (a few: training, last partial batch, eval). */
    private final Map<ConvPlan.Shape, ConvPlan> plans = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ConvPlan.Shape, ConvPlan> eldest) {
            return size() > MAX_PLANS;
        }
    };

    /** The output of the last training forward pass with the ReLU fused, the input and weights it was computed from. */
    private INDArray keptOutput, keptOutputInput;
    private long keptOutputWeights;

    public DnnlConvolution(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Whether DL4J's oneDNN layer helper would get this layer's input gradient wrong: M2.1's helper does for NHWC
     * with an activation other than identity (see DnnlConvolutionTest#dl4jHelperNhwcReluGradientIsWrong). The
     * fallback path then runs DL4J's own backward code.
     */
    private boolean helperMisreadsActivation() {
        return helper != null && helper.getClass().getSimpleName().startsWith("MKLDNN")
                && layerConf().getCnn2dDataFormat() == CNN2DFormat.NHWC
                && !(layerConf().getActivationFn() instanceof ActivationIdentity);
    }

    /** Whether the activation is a ReLU with no max, threshold or slope, which runs inside the primitive. */
    private boolean fusedRelu() {
        return layerConf().getActivationFn() instanceof ActivationReLU r && r.equals(new ActivationReLU());
    }

    /** The oneDNN shape for the current input, or null to use the plain layer. */
    private ConvPlan.Shape shapeFor(INDArray in) {
        return shapeFor(in, false);
    }

    /**
     * The oneDNN shape for {@code in}, with the ReLU applied by the primitive when {@code relu}; null: plain layer.
     * NCHW activations go through the primitives' blocked layouts (reordered in and out): on ResNet-20's shapes
     * (AVX2, batch 128) its 3x3 convolutions took 607 ms per training step on plain NCHW against 223 ms blocked,
     * and ResNet-20 trained 1.4-2 times as fast. NHWC is read and written directly: blocked measured the same
     * within this machine's noise (279-414 against 289-341 ms), so the reorders and buffers are not spent.
     */
    private ConvPlan.Shape shapeFor(INDArray in, boolean relu) {
        if (in == null || in.rank() != 4 || dataType != DataType.FLOAT || !Dnnl.isAvailable()) {
            return null;
        }
        var lc = layerConf();
        int[] dilation = lc.getDilation();
        if (dilation[0] != 1 || dilation[1] != 1 || convolutionMode == ConvolutionMode.Causal) {
            return null;
        }
        boolean nhwc = lc.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        long inC = in.size(nhwc ? 3 : 1), inH = in.size(nhwc ? 1 : 2), inW = in.size(nhwc ? 2 : 3);
        int[] kernel = lc.getKernelSize(), strides = lc.getStride();
        int[] out, pad;
        long padB, padR;
        if (convolutionMode == ConvolutionMode.Same) {
            out = ConvolutionUtils.getOutputSize(in, kernel, strides, null, convolutionMode, dilation,
                    lc.getCnn2dDataFormat());
            pad = ConvolutionUtils.getSameModeTopLeftPadding(out, new int[]{(int) inH, (int) inW}, kernel, strides,
                    dilation);
            padB = Math.max(0, (long) (out[0] - 1) * strides[0] + kernel[0] - inH - pad[0]);
            padR = Math.max(0, (long) (out[1] - 1) * strides[1] + kernel[1] - inW - pad[1]);
        } else {
            pad = lc.getPadding();
            out = ConvolutionUtils.getOutputSize(in, kernel, strides, pad, convolutionMode, dilation,
                    lc.getCnn2dDataFormat()); // also validates (Strict mode)
            // DL4J pads both sides and floors the output size; oneDNN accepts the same symmetric padding
            padB = pad[0];
            padR = pad[1];
        }
        return new ConvPlan.Shape(in.size(0), inC, inH, inW, lc.getNOut(), out[0], out[1], kernel[0], kernel[1],
                strides[0], strides[1], pad[0], pad[1], padB, padR, nhwc, lc.hasBias(), relu, !nhwc);
    }

    private ConvPlan plan(ConvPlan.Shape shape) {
        return plans.computeIfAbsent(shape, ConvPlan::new);
    }

    /** The plan for the current input, creating it if needed (for tests and benchmarks); null when not on oneDNN. */
    public String[] implementations() {
        ConvPlan.Shape s = shapeFor(input);
        if (s == null) {
            return null;
        }
        ConvPlan p = plan(s);
        return new String[]{p.forwardImpl, p.backwardDataImpl, p.backwardWeightsImpl};
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop,
                                                 LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        validateInputRank();
        ConvPlan.Shape shape = shapeFor(input);
        if (shape == null) {
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        return new Pair<>(convolve(shape, training, workspaceMgr), null);
    }

    /** The convolution of the current input on oneDNN (with the ReLU when the shape says so). */
    private INDArray convolve(ConvPlan.Shape shape, boolean training, LayerWorkspaceMgr workspaceMgr) {
        long t = Profile.start();
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        validateInputDepth(weights.size(1));
        INDArray bias = shape.bias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training,
                workspaceMgr) : null;
        INDArray x = Dnnl.dense(input.castTo(dataType));
        long[] outShape = shape.nhwc() ? new long[]{shape.n(), shape.outH(), shape.outW(), shape.outC()}
                : new long[]{shape.n(), shape.outC(), shape.outH(), shape.outW()};
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outShape, 'c');
        ConvPlan plan = plan(shape);
        INDArray w = Dnnl.dense(weights);
        plan.forward(x, w, bias == null ? null : Dnnl.dense(bias), z);
        if (shape.relu() && training) {
            keptOutput = z;
            keptOutputInput = input;
            keptOutputWeights = plan.weightVersion(w);
        }
        Profile.add("conv layer fwd", t);
        return z;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (input == null) {
            throw new IllegalArgumentException("Cannot perform forward pass with null input " + layerId());
        }
        if (shapeFor(input) == null) {
            return super.activate(training, workspaceMgr);
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        keptOutput = null;
        keptOutputInput = null;
        if (fusedRelu()) {
            assertInputSet(false);
            validateInputRank();
            return convolve(shapeFor(input, true), training, workspaceMgr);
        }
        INDArray z = preOutput(training, false, workspaceMgr).getFirst();
        IActivation afn = layerConf().getActivationFn();
        return afn instanceof ActivationIdentity ? z : afn.getActivation(z, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ConvPlan.Shape shape = shapeFor(input);
        if (shape == null) {
            if (helperMisreadsActivation()) {
                ConvolutionHelper h = helper;
                helper = null;
                try {
                    return super.backpropGradient(epsilon, workspaceMgr);
                } finally {
                    helper = h;
                }
            }
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        long t = Profile.start();
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        if (epsilon.dataType() != dataType) {
            epsilon = epsilon.castTo(dataType);
        }
        IActivation afn = layerConf().getActivationFn();
        INDArray delta;
        if (afn instanceof ActivationIdentity) {
            delta = epsilon;
        } else if (fusedRelu()) {
            delta = reluGradient(Dnnl.dense(epsilon), weights, workspaceMgr);
        } else {
            INDArray z = preOutput(true, true, workspaceMgr).getFirst();
            delta = afn.backprop(z, epsilon).getFirst();
        }
        INDArray x = Dnnl.dense(input.castTo(dataType));
        INDArray dW = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray db = shape.bias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray dWDense = Dnnl.isDense(dW) ? dW : Nd4j.createUninitialized(dataType, dW.shape(), 'c');
        INDArray dbDense = db == null || Dnnl.isDense(db) ? db : Nd4j.createUninitialized(dataType, db.shape(), 'c');
        INDArray epsNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');

        plan(shape).backward(x, Dnnl.dense(weights), Dnnl.dense(delta), epsNext, dWDense, dbDense);
        if (dWDense != dW) {
            dW.assign(dWDense);
        }
        if (dbDense != db) {
            db.assign(dbDense);
        }

        Gradient gradient = new DefaultGradient();
        if (shape.bias()) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, db);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, dW, 'c');
        weightNoiseParams.clear();
        epsNext = backpropDropOutIfPresent(epsNext);
        Profile.add("conv layer bwd", t);
        return new Pair<>(gradient, epsNext);
    }

    /**
     * The gradient before the fused ReLU: from the output kept by the training forward pass when it was computed
     * from this input with these weights, else from a recomputed forward pass (what DL4J's layer always does).
     */
    private INDArray reluGradient(INDArray epsilon, INDArray weights, LayerWorkspaceMgr workspaceMgr) {
        ConvPlan.Shape shape = shapeFor(input, true);
        ConvPlan plan = plan(shape);
        INDArray y = keptOutput;
        if (y == null || keptOutputInput != input || keptOutputWeights != plan.weightVersion(Dnnl.dense(weights))) {
            y = convolve(shape, true, workspaceMgr);
        }
        keptOutput = null;
        keptOutputInput = null;
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, epsilon.shape(), 'c');
        plan.reluBackward(y, epsilon, delta);
        return delta;
    }

    /**
     * This layer's output for {@code x} before its activation function, in inference mode, outside any workspace:
     * the convolution alone, also when a ReLU is fused into it (which its normal output already includes). For
     * measurements ({@code org.bnlab.measure.ProbeSnapshot}); it sets the layer's input to {@code x} and changes no
     * parameter.
     *
     * @param x [N, C, H, W] or [N, H, W, C] as the layer's format says
     * @return [N, outC, outH, outW] or [N, outH, outW, outC]
     */
    public INDArray preActivation(INDArray x) {
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        setInput(x, noWorkspaces);
        keptOutput = null;
        keptOutputInput = null;
        return preOutput(false, false, noWorkspaces).getFirst();
    }

    @Override
    public void clear() {
        super.clear();
        keptOutput = null;
        keptOutputInput = null;
    }
}
