package org.bnlab.kernels;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * oneDNN batch normalization primitives for one activation shape and layout: training forward (batch statistics,
 * which the plan keeps for the backward pass), inference forward (given running statistics) and backward (input,
 * scale and shift gradients), optionally with ReLU fused (oneDNN's {@code fuse_norm_relu}: the forward stores a
 * bit mask in a plan-owned workspace that the backward reads). Scale (gamma) and shift (beta) are passed as two
 * separate [C] vectors, so DL4J's parameter and gradient views are used in place. Not thread-safe: one plan serves
 * one layer instance.
 */
final class BnPlan {

    record Shape(long n, long c, long h, long w, boolean nhwc, float eps, boolean relu) {
        String key() {
            return String.format("%s n=%d c=%d %dx%d eps=%g%s", nhwc ? "NHWC" : "NCHW", n, c, h, w, eps,
                    relu ? " +relu" : "");
        }
    }

    final Shape shape;
    final String trainingImpl;
    String inferenceImpl, backwardImpl;
    /** The last training forward pass's batch mean and (biased) variance, [C], outside any workspace. */
    final INDArray batchMean, batchVar;

    private final memory src, dst, scale, shift, mean, var, diffDst, diffSrc, diffScale, diffShift, meanOut, varOut;
    private final memory workspace;
    private final batch_normalization_forward.primitive_desc trainPd;
    private final batch_normalization_forward train;
    private batch_normalization_forward infer;
    private batch_normalization_backward bwd;
    private final IntMemoryMap trainArgs = new IntMemoryMap(), inferArgs = new IntMemoryMap(),
            bwdArgs = new IntMemoryMap();

    BnPlan(Shape s) {
        this.shape = s;
        var eng = Dnnl.engine();
        memory.desc xMd = Dnnl.desc(new long[]{s.n, s.c, s.h, s.w},
                s.nhwc ? memory.format_tag.nhwc : memory.format_tag.nchw);
        memory.desc cMd = Dnnl.desc(new long[]{s.c}, memory.format_tag.x);
        int flags = flags(false);
        trainPd = new batch_normalization_forward.primitive_desc(new batch_normalization_forward.desc(
                prop_kind.forward_training.value, xMd, s.eps, flags), eng);
        trainingImpl = Dnnl.record("bn fwd-train", s.key(), trainPd);
        train = new batch_normalization_forward(trainPd);

        src = Dnnl.unbound(xMd);
        dst = Dnnl.unbound(xMd);
        diffDst = Dnnl.unbound(xMd);
        diffSrc = Dnnl.unbound(xMd);
        scale = Dnnl.unbound(cMd);
        shift = Dnnl.unbound(cMd);
        mean = Dnnl.unbound(cMd);
        var = Dnnl.unbound(cMd);
        diffScale = Dnnl.unbound(cMd);
        diffShift = Dnnl.unbound(cMd);
        batchMean = Nd4j.createUninitializedDetached(DataType.FLOAT, s.c);
        batchVar = Nd4j.createUninitializedDetached(DataType.FLOAT, s.c);
        meanOut = Dnnl.unbound(cMd);
        varOut = Dnnl.unbound(cMd);
        Dnnl.bind(meanOut, batchMean);
        Dnnl.bind(varOut, batchVar);
        workspace = s.relu ? new memory(trainPd.workspace_desc(), eng) : null;

        trainArgs.put(DNNL_ARG_SRC, src);
        trainArgs.put(DNNL_ARG_SCALE, scale);
        trainArgs.put(DNNL_ARG_SHIFT, shift);
        trainArgs.put(DNNL_ARG_DST, dst);
        trainArgs.put(DNNL_ARG_MEAN, meanOut);
        trainArgs.put(DNNL_ARG_VARIANCE, varOut);
        if (workspace != null) {
            trainArgs.put(DNNL_ARG_WORKSPACE, workspace);
        }
    }

    private int flags(boolean globalStats) {
        int f = normalization_flags.use_scale.value | normalization_flags.use_shift.value;
        if (globalStats) {
            f |= normalization_flags.use_global_stats.value;
        }
        if (shape.relu) {
            f |= normalization_flags.fuse_norm_relu.value;
        }
        return f;
    }

    /** y = BN(x) with batch statistics (kept in {@link #batchMean}, {@link #batchVar}); gamma, beta [C] or [1, C]. */
    void forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray y) {
        stream st = Dnnl.stream();
        Dnnl.bind(src, x);
        Dnnl.bind(scale, gamma);
        Dnnl.bind(shift, beta);
        Dnnl.bind(dst, y);
        long t = Profile.start();
        train.execute(st, trainArgs);
        st._wait();
        Profile.add("bn prim fwd", t);
    }

    /** y = BN(x) with the given mean and variance. */
    void forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
                          INDArray y) {
        if (infer == null) {
            var pd = new batch_normalization_forward.primitive_desc(new batch_normalization_forward.desc(
                    prop_kind.forward_inference.value, src.get_desc(), shape.eps, flags(true)), Dnnl.engine());
            inferenceImpl = Dnnl.record("bn fwd-infer", shape.key(), pd);
            infer = new batch_normalization_forward(pd);
            inferArgs.put(DNNL_ARG_SRC, src);
            inferArgs.put(DNNL_ARG_SCALE, scale);
            inferArgs.put(DNNL_ARG_SHIFT, shift);
            inferArgs.put(DNNL_ARG_MEAN, mean);
            inferArgs.put(DNNL_ARG_VARIANCE, var);
            inferArgs.put(DNNL_ARG_DST, dst);
        }
        stream st = Dnnl.stream();
        Dnnl.bind(src, x);
        Dnnl.bind(scale, gamma);
        Dnnl.bind(shift, beta);
        Dnnl.bind(mean, runningMean);
        Dnnl.bind(var, runningVar);
        Dnnl.bind(dst, y);
        infer.execute(st, inferArgs);
        st._wait();
    }

    /** dx, dGamma, dBeta for the batch statistics of the last {@link #forwardTraining} (which must have seen x). */
    void backward(INDArray x, INDArray dy, INDArray gamma, INDArray beta, INDArray dx, INDArray dGamma,
                  INDArray dBeta) {
        if (bwd == null) {
            var pd = new batch_normalization_backward.primitive_desc(new batch_normalization_backward.desc(
                    prop_kind.backward.value, src.get_desc(), src.get_desc(), shape.eps, flags(false)),
                    Dnnl.engine(), trainPd);
            backwardImpl = Dnnl.record("bn bwd", shape.key(), pd);
            bwd = new batch_normalization_backward(pd);
            bwdArgs.put(DNNL_ARG_SRC, src);
            bwdArgs.put(DNNL_ARG_DIFF_DST, diffDst);
            bwdArgs.put(DNNL_ARG_SCALE, scale);
            bwdArgs.put(DNNL_ARG_SHIFT, shift); // oneDNN 2.5 checks for it with use_shift, though it does not read it
            bwdArgs.put(DNNL_ARG_MEAN, meanOut);
            bwdArgs.put(DNNL_ARG_VARIANCE, varOut);
            bwdArgs.put(DNNL_ARG_DIFF_SRC, diffSrc);
            bwdArgs.put(DNNL_ARG_DIFF_SCALE, diffScale);
            bwdArgs.put(DNNL_ARG_DIFF_SHIFT, diffShift);
            if (workspace != null) {
                bwdArgs.put(DNNL_ARG_WORKSPACE, workspace);
            }
        }
        stream st = Dnnl.stream();
        Dnnl.bind(src, x);
        Dnnl.bind(diffDst, dy);
        Dnnl.bind(scale, gamma);
        Dnnl.bind(shift, beta);
        Dnnl.bind(diffSrc, dx);
        Dnnl.bind(diffScale, dGamma);
        Dnnl.bind(diffShift, dBeta);
        long t = Profile.start();
        bwd.execute(st, bwdArgs);
        st._wait();
        Profile.add("bn prim bwd", t);
    }
}
