package org.bnlab.kernels;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * oneDNN primitives for one 2D convolution shape (batch, channels, sizes, kernel, stride, padding, layout), built
 * once and reused: forward, backward-data and backward-weights primitives, the primitive-owned buffers that hold the
 * weights (and weight gradient) in the blocked layout the primitives prefer, the reorders between those and DL4J's
 * {@code [out, in, kH, kW]} ('c', i.e. {@code oihw}) parameter layout, and memory objects that are pointed at the
 * caller's ND4J buffers on every call.
 *
 * <p>Weights are described to the primitives as {@code format_tag.any}: a plain weight layout makes oneDNN pick its
 * reference implementation, about a thousand times slower. The reordered copies are refreshed only when the
 * weights' contents changed since the last reorder (compared with a snapshot, which costs far less than a reorder
 * primitive): in training once per step for each of the two layouts (forward and backward-data want different
 * blockings), in inference once.
 *
 * <p>With {@code blocked} the primitives choose the activations' layout ({@code format_tag.any}: a channel-blocked
 * one such as {@code nChw8c}) and each activation is reordered in and out ({@link Staged}), as libnd4j's own oneDNN
 * convolution does; otherwise they read and write the caller's layout directly. For plain NCHW oneDNN falls back
 * to a gemm-based convolution, about 2.5 times slower than its direct kernels on ResNet-20's shapes
 * ({@link DnnlConvolution} decides).
 *
 * <p>With {@code relu} the forward pass applies a ReLU to its output (a oneDNN post-op, so the output is written
 * once), and {@link #reluBackward} turns the output gradient into the gradient before the ReLU from the output
 * alone ({@code dy * (y > 0)}, which equals {@code dy * (z > 0)} since {@code y > 0} exactly where {@code z > 0}).
 *
 * <p>Not thread-safe: one plan serves one layer instance.
 */
final class ConvPlan {

    /** Everything that determines the primitives. */
    record Shape(long n, long inC, long inH, long inW, long outC, long outH, long outW, long kH, long kW, long sH,
                 long sW, long padT, long padL, long padB, long padR, boolean nhwc, boolean bias, boolean relu,
                 boolean blocked) {
        /** A short label for profiles: channels x size -> channels x size. */
        String label() {
            return inC + "x" + inH + "->" + outC + "x" + outH;
        }

        String key() {
            return String.format("%s n=%d %dx%dx%d -> %dx%dx%d k=%dx%d s=%dx%d pad=%d,%d,%d,%d%s%s%s",
                    nhwc ? "NHWC" : "NCHW", n, inC, inH, inW, outC, outH, outW, kH, kW, sH, sW, padT, padL, padB,
                    padR, bias ? " +bias" : "", relu ? " +relu" : "", blocked ? " blocked" : "");
        }
    }

    final Shape shape;
    final String forwardImpl;
    private final convolution_forward.primitive_desc fwdPd;
    private final convolution_forward fwd;
    private final Staged src, dst;
    private final memory userW, bias, wFwd;
    private final reorder toWFwd;
    private final IntMemoryMap fwdArgs = new IntMemoryMap();

    // built on the first backward pass
    private boolean backwardReady;
    String backwardDataImpl, backwardWeightsImpl;
    private convolution_backward_data bwdData;
    private convolution_backward_weights bwdWeights;
    private Staged diffDst, diffSrc, bwSrc, bwDiffDst;
    private memory userDW, diffBias, wBwd, dwInternal;
    private reorder toWBwd, fromDW;
    private final IntMemoryMap bdArgs = new IntMemoryMap(), bwArgs = new IntMemoryMap();

    // built on the first reluBackward
    private eltwise_backward reluBwd;
    private memory reluDst, reluDiffDst, reluDiffSrc;
    private final IntMemoryMap reluArgs = new IntMemoryMap();

    /** The weights as last seen (DL4J layout), a scratch buffer, and which version each reordered copy holds. */
    private float[] weightSnapshot, weightScratch;
    private long weightVersion, wFwdVersion = -1, wBwdVersion = -1;

    ConvPlan(Shape s) {
        this.shape = s;
        var eng = Dnnl.engine();
        memory.desc srcMd = srcDesc(s.blocked ? memory.format_tag.any : userLayout());
        memory.desc dstMd = dstDesc(s.blocked ? memory.format_tag.any : userLayout());
        long[] wDims = {s.outC, s.inC, s.kH, s.kW};
        memory.desc wAny = Dnnl.desc(wDims, memory.format_tag.any);
        memory.desc wUser = Dnnl.desc(wDims, memory.format_tag.oihw);
        memory.desc bMd = Dnnl.desc(new long[]{s.outC}, memory.format_tag.x);
        long[] strides = {s.sH, s.sW}, padL = {s.padT, s.padL}, padR = {s.padB, s.padR};

        convolution_forward.desc fd = s.bias
                ? new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct, srcMd, wAny,
                bMd, dstMd, strides, padL, padR)
                : new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct, srcMd, wAny,
                dstMd, strides, padL, padR);
        if (s.relu) {
            post_ops ops = new post_ops();
            ops.append_eltwise(1f, algorithm.eltwise_relu, 0f, 0f);
            primitive_attr attr = new primitive_attr();
            attr.set_post_ops(ops);
            fwdPd = new convolution_forward.primitive_desc(fd, attr, eng);
        } else {
            fwdPd = new convolution_forward.primitive_desc(fd, eng);
        }
        forwardImpl = Dnnl.record("conv fwd", s.key(), fwdPd);
        fwd = new convolution_forward(fwdPd);

        src = new Staged(srcDesc(userLayout()), fwdPd.src_desc());
        dst = new Staged(dstDesc(userLayout()), fwdPd.dst_desc());
        userW = Dnnl.unbound(wUser);
        bias = s.bias ? Dnnl.unbound(bMd) : null;
        memory.desc wFwdMd = fwdPd.weights_desc();
        if (wFwdMd.equals(wUser)) {
            wFwd = userW;
            toWFwd = null;
        } else {
            wFwd = new memory(wFwdMd, eng);
            toWFwd = new reorder(userW, wFwd);
        }
        fwdArgs.put(DNNL_ARG_SRC, src.internal);
        fwdArgs.put(DNNL_ARG_WEIGHTS, wFwd);
        fwdArgs.put(DNNL_ARG_DST, dst.internal);
        if (s.bias) {
            fwdArgs.put(DNNL_ARG_BIAS, bias);
        }
    }

    private memory.format_tag userLayout() {
        return shape.nhwc ? memory.format_tag.nhwc : memory.format_tag.nchw;
    }

    private memory.desc srcDesc(memory.format_tag layout) {
        return Dnnl.desc(new long[]{shape.n, shape.inC, shape.inH, shape.inW}, layout);
    }

    private memory.desc dstDesc(memory.format_tag layout) {
        return Dnnl.desc(new long[]{shape.n, shape.outC, shape.outH, shape.outW}, layout);
    }

    private void buildBackward() {
        Shape s = shape;
        var eng = Dnnl.engine();
        memory.desc srcMd = srcDesc(s.blocked ? memory.format_tag.any : userLayout());
        memory.desc dstMd = dstDesc(s.blocked ? memory.format_tag.any : userLayout());
        memory.desc wUser = userW.get_desc();
        memory.desc wAny = Dnnl.desc(new long[]{s.outC, s.inC, s.kH, s.kW}, memory.format_tag.any);
        memory.desc bMd = Dnnl.desc(new long[]{s.outC}, memory.format_tag.x);
        long[] strides = {s.sH, s.sW}, padL = {s.padT, s.padL}, padR = {s.padB, s.padR};

        // the weights get their own layout here (oneDNN's jit backward-data takes the forward's transposed
        // blocking; forcing the forward's layout gives its reference code)
        var bdPd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
                algorithm.convolution_direct, srcMd, wAny, dstMd, strides, padL, padR), eng, fwdPd);
        convolution_backward_weights.desc bwd = s.bias
                ? new convolution_backward_weights.desc(algorithm.convolution_direct, srcMd, wAny, bMd, dstMd,
                strides, padL, padR)
                : new convolution_backward_weights.desc(algorithm.convolution_direct, srcMd, wAny, dstMd, strides,
                padL, padR);
        var bwPd = new convolution_backward_weights.primitive_desc(bwd, eng, fwdPd);
        backwardDataImpl = Dnnl.record("conv bwd-data", s.key(), bdPd);
        backwardWeightsImpl = Dnnl.record("conv bwd-weights", s.key(), bwPd);
        bwdData = new convolution_backward_data(bdPd);
        bwdWeights = new convolution_backward_weights(bwPd);

        diffDst = new Staged(dstDesc(userLayout()), bdPd.diff_dst_desc());
        diffSrc = new Staged(srcDesc(userLayout()), bdPd.diff_src_desc());
        // backward-weights reads x and dy again, in the layouts it chose: share the staged copies when they agree
        bwSrc = bwPd.src_desc().equals(src.internal.get_desc()) ? src : new Staged(srcDesc(userLayout()),
                bwPd.src_desc());
        bwDiffDst = bwPd.diff_dst_desc().equals(diffDst.internal.get_desc()) ? diffDst
                : new Staged(dstDesc(userLayout()), bwPd.diff_dst_desc());
        userDW = Dnnl.unbound(wUser);
        diffBias = s.bias ? Dnnl.unbound(bMd) : null;
        memory.desc wBwdMd = bdPd.weights_desc();
        if (wBwdMd.equals(wFwd.get_desc())) {
            wBwd = wFwd;
            toWBwd = toWFwd;
        } else if (wBwdMd.equals(wUser)) {
            wBwd = userW;
            toWBwd = null;
        } else {
            wBwd = new memory(wBwdMd, eng);
            toWBwd = new reorder(userW, wBwd);
        }
        memory.desc dwMd = bwPd.diff_weights_desc();
        if (dwMd.equals(wUser)) {
            dwInternal = userDW;
            fromDW = null;
        } else {
            dwInternal = new memory(dwMd, eng);
            fromDW = new reorder(dwInternal, userDW);
        }
        bdArgs.put(DNNL_ARG_DIFF_DST, diffDst.internal);
        bdArgs.put(DNNL_ARG_WEIGHTS, wBwd);
        bdArgs.put(DNNL_ARG_DIFF_SRC, diffSrc.internal);
        bwArgs.put(DNNL_ARG_SRC, bwSrc.internal);
        bwArgs.put(DNNL_ARG_DIFF_DST, bwDiffDst.internal);
        bwArgs.put(DNNL_ARG_DIFF_WEIGHTS, dwInternal);
        if (s.bias) {
            bwArgs.put(DNNL_ARG_DIFF_BIAS, diffBias);
        }
        backwardReady = true;
    }

    private void buildReluBackward() {
        var eng = Dnnl.engine();
        memory.desc dstMd = dst.user.get_desc();
        var hint = new eltwise_forward.primitive_desc(new eltwise_forward.desc(prop_kind.forward_training,
                algorithm.eltwise_relu_use_dst_for_bwd, dstMd, 0f, 0f), eng);
        var pd = new eltwise_backward.primitive_desc(new eltwise_backward.desc(
                algorithm.eltwise_relu_use_dst_for_bwd, dstMd, dstMd, 0f, 0f), eng, hint);
        Dnnl.record("relu bwd", shape.key(), pd);
        reluBwd = new eltwise_backward(pd);
        reluDst = Dnnl.unbound(dstMd);
        reluDiffDst = Dnnl.unbound(dstMd);
        reluDiffSrc = Dnnl.unbound(dstMd);
        reluArgs.put(DNNL_ARG_DST, reluDst);
        reluArgs.put(DNNL_ARG_DIFF_DST, reluDiffDst);
        reluArgs.put(DNNL_ARG_DIFF_SRC, reluDiffSrc);
    }

    /** dz = dy where y > 0, else 0: the gradient before the fused ReLU, from its output y. All dense, plan layout. */
    void reluBackward(INDArray y, INDArray dy, INDArray dz) {
        if (reluBwd == null) {
            buildReluBackward();
        }
        Dnnl.bind(reluDst, y);
        Dnnl.bind(reluDiffDst, dy);
        Dnnl.bind(reluDiffSrc, dz);
        long t = Profile.start();
        stream st = Dnnl.stream();
        reluBwd.execute(st, reluArgs);
        st._wait();
        Profile.add("conv prim relu-bwd", t);
    }

    /**
     * The version of the weights {@code w} (dense, DL4J layout): it changes whenever their contents change, so a
     * caller can tell whether an output it kept was computed with the weights it holds now.
     */
    long weightVersion(INDArray w) {
        checkWeights(w);
        return weightVersion;
    }

    /** Bumps {@link #weightVersion} when the contents of {@code w} (dense) differ from the last ones seen. */
    private void checkWeights(INDArray w) {
        int n = (int) w.length();
        if (weightSnapshot == null || weightSnapshot.length != n) {
            weightSnapshot = new float[n];
            weightScratch = new float[n];
            Dnnl.read(w, weightSnapshot);
            weightVersion++;
            return;
        }
        Dnnl.read(w, weightScratch);
        if (!java.util.Arrays.equals(weightScratch, weightSnapshot)) {
            float[] t = weightSnapshot;
            weightSnapshot = weightScratch;
            weightScratch = t;
            weightVersion++;
        }
    }

    /** y = conv(x, w) (+ b). All arrays dense; x, y in the plan's layout; w as DL4J stores it; b [1, outC] or null. */
    void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        stream st = Dnnl.stream();
        src.bind(x);
        Dnnl.bind(userW, w);
        dst.bind(y);
        if (bias != null) {
            Dnnl.bind(bias, b);
        }
        long t = Profile.start();
        if (toWFwd != null) {
            checkWeights(w);
            t = Profile.add("conv w-check", t);
            if (wFwdVersion != weightVersion) {
                toWFwd.execute(st, userW, wFwd);
                wFwdVersion = weightVersion;
                if (wBwd == wFwd) {
                    wBwdVersion = weightVersion;
                }
                t = Profile.add("conv prim w-reorder", t);
            }
        }
        src.in(st);
        fwd.execute(st, fwdArgs);
        dst.out(st);
        st._wait();
        Profile.add("conv prim fwd " + shape.label(), t);
    }

    /**
     * Backward pass: dx = conv_bwd_data(dy, w) (null dx skips it), dw = conv_bwd_weights(x, dy) written in DL4J's
     * layout, db = sum of dy (when the plan has a bias).
     */
    void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw, INDArray db) {
        if (!backwardReady) {
            buildBackward();
        }
        stream st = Dnnl.stream();
        bwSrc.bind(x);
        diffDst.bind(dy);
        bwDiffDst.bind(dy);
        Dnnl.bind(userDW, dw);
        if (diffBias != null) {
            Dnnl.bind(diffBias, db);
        }
        long t = Profile.start();
        if (dx != null) {
            Dnnl.bind(userW, w);
            diffSrc.bind(dx);
            if (toWBwd != null) {
                checkWeights(w);
                t = Profile.add("conv w-check", t);
                if (wBwdVersion != weightVersion) {
                    toWBwd.execute(st, userW, wBwd);
                    wBwdVersion = weightVersion;
                    if (wBwd == wFwd) {
                        wFwdVersion = weightVersion;
                    }
                    t = Profile.add("conv prim w-reorder", t);
                }
            }
            diffDst.in(st);
            bwdData.execute(st, bdArgs);
            diffSrc.out(st);
            st._wait();
            t = Profile.add("conv prim bwd-data " + shape.label(), t);
        }
        bwSrc.in(st);
        if (bwDiffDst != diffDst || dx == null) {
            bwDiffDst.in(st);
        }
        bwdWeights.execute(st, bwArgs);
        st._wait();
        t = Profile.add("conv prim bwd-weights " + shape.label(), t);
        if (fromDW != null) {
            fromDW.execute(st, dwInternal, userDW);
        }
        st._wait();
        Profile.add("conv prim dw-reorder", t);
    }

    /**
     * One activation tensor as the caller holds it ({@link #user}, pointed at an ND4J buffer on every call) and as a
     * primitive reads or writes it ({@link #internal}): the same memory object when the layouts agree, else a
     * primitive-owned buffer and a reorder between the two.
     */
    private static final class Staged {
        final memory user, internal;
        private final reorder toInternal, toUser;

        Staged(memory.desc userMd, memory.desc primitiveMd) {
            user = Dnnl.unbound(userMd);
            if (primitiveMd.equals(userMd)) {
                internal = user;
                toInternal = null;
                toUser = null;
            } else {
                internal = new memory(primitiveMd, Dnnl.engine());
                toInternal = new reorder(user, internal);
                toUser = new reorder(internal, user);
            }
        }

        void bind(INDArray array) {
            Dnnl.bind(user, array);
        }

        /** Copies the caller's tensor into the primitive's layout (nothing when they agree). */
        void in(stream st) {
            if (toInternal != null) {
                toInternal.execute(st, user, internal);
            }
        }

        /** Copies the primitive's result into the caller's tensor (nothing when they agree). */
        void out(stream st) {
            if (toUser != null) {
                toUser.execute(st, internal, user);
            }
        }
    }
}
