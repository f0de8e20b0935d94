package org.bnlab.kernels;

/**
 * A kernel layer configuration that can apply the ReLU after it itself ({@link Kernels#accelerate} with
 * {@code fuse} then removes the ReLU layer), e.g. {@link DnnlBatchNormalization}.
 */
public interface ReluFusing {

    /** Whether the layer's output is ReLU(f(x)) rather than f(x). */
    boolean isFuseRelu();

    void setFuseRelu(boolean fuseRelu);
}
