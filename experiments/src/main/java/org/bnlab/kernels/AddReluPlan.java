package org.bnlab.kernels;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * oneDNN primitives for {@code y = relu(a + b)} over dense f32 arrays of one length (the layout does not matter:
 * every array is seen as a flat vector): forward is a binary add with a ReLU post-op, backward the ReLU backward
 * that reads the output ({@code da = dy * (y > 0)}). Not thread-safe: one plan serves one vertex.
 */
final class AddReluPlan {

    final long length;
    final String forwardImpl;
    String backwardImpl;
    private final binary add;
    private final memory a, b, y, dy, dx;
    private final IntMemoryMap fwdArgs = new IntMemoryMap(), bwdArgs = new IntMemoryMap();
    private final memory.desc md;
    private eltwise_backward reluBwd;

    AddReluPlan(long length) {
        this.length = length;
        var eng = Dnnl.engine();
        md = Dnnl.desc(new long[]{length}, memory.format_tag.x);
        post_ops ops = new post_ops();
        ops.append_eltwise(1.0f, algorithm.eltwise_relu, 0f, 0f);
        primitive_attr attr = new primitive_attr();
        attr.set_post_ops(ops);
        var pd = new binary.primitive_desc(new binary.desc(algorithm.binary_add, md, md, md), attr, eng);
        forwardImpl = Dnnl.record("add+relu fwd", "n=" + length, pd);
        add = new binary(pd);
        a = Dnnl.unbound(md);
        b = Dnnl.unbound(md);
        y = Dnnl.unbound(md);
        dy = Dnnl.unbound(md);
        dx = Dnnl.unbound(md);
        fwdArgs.put(DNNL_ARG_SRC_0, a);
        fwdArgs.put(DNNL_ARG_SRC_1, b);
        fwdArgs.put(DNNL_ARG_DST, y);
    }

    /** out = relu(x0 + x1); all dense, {@link #length} elements (out may be x0 or x1). */
    void forward(INDArray x0, INDArray x1, INDArray out) {
        stream st = Dnnl.stream();
        Dnnl.bind(a, x0);
        Dnnl.bind(b, x1);
        Dnnl.bind(y, out);
        long t = Profile.start();
        add.execute(st, fwdArgs);
        st._wait();
        Profile.add("add+relu prim fwd", t);
    }

    /** dIn = dOut where out > 0, else 0 ({@code out} is the forward's output). */
    void backward(INDArray out, INDArray dOut, INDArray dIn) {
        if (reluBwd == null) {
            var eng = Dnnl.engine();
            var hint = new eltwise_forward.primitive_desc(new eltwise_forward.desc(prop_kind.forward_training,
                    algorithm.eltwise_relu_use_dst_for_bwd, md, 0f, 0f), eng);
            var pd = new eltwise_backward.primitive_desc(new eltwise_backward.desc(
                    algorithm.eltwise_relu_use_dst_for_bwd, md, md, 0f, 0f), eng, hint);
            backwardImpl = Dnnl.record("relu bwd", "n=" + length, pd);
            reluBwd = new eltwise_backward(pd);
            bwdArgs.put(DNNL_ARG_DST, y);
            bwdArgs.put(DNNL_ARG_DIFF_DST, dy);
            bwdArgs.put(DNNL_ARG_DIFF_SRC, dx);
        }
        stream st = Dnnl.stream();
        Dnnl.bind(y, out);
        Dnnl.bind(dy, dOut);
        Dnnl.bind(dx, dIn);
        long t = Profile.start();
        reluBwd.execute(st, bwdArgs);
        st._wait();
        Profile.add("add+relu prim bwd", t);
    }
}
