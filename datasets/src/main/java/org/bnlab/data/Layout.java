package org.bnlab.data;

/** Memory layout of the feature tensors that {@link BatchIterator} produces. */
public enum Layout {
    /** {@code [batch, channels, height, width]}: DL4J's default for convolution layers. */
    NCHW,
    /** {@code [batch, height, width, channels]}: channels-last, for layers configured with NHWC. */
    NHWC
}
