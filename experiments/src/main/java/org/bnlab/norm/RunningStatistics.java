package org.bnlab.norm;

import org.deeplearning4j.nn.conf.CNN2DFormat;

/**
 * How one normalization layer with running statistics stores them and normalises with them at inference
 * ({@code y = gamma * (x - mean) / sqrt(var + epsilon) + beta} per channel), as DL4J's BatchNormalization does.
 *
 * @param meanKey     parameter key of the running mean, [1, C]
 * @param varianceKey parameter key of the running variance [1, C], or of log10 of the standard deviation when
 *                    {@code log10Std}
 * @param log10Std    the variance is stored as log10(std) (DL4J's {@code useLogStd})
 * @param format      the channel axis of rank-4 input: 1 for NCHW, 3 for NHWC (rank 2: axis 1)
 * @param epsilon     added to the variance before the square root
 * @param gammaKey    parameter key of the scale, [1, C]
 * @param betaKey     parameter key of the shift, [1, C]
 */
public record RunningStatistics(String meanKey, String varianceKey, boolean log10Std, CNN2DFormat format,
                                double epsilon, String gammaKey, String betaKey) {

    /** The channel axis of input of rank 4 ({@code format}'s) or 2 (1). */
    public int channelAxis(int rank) {
        return rank == 4 && format == CNN2DFormat.NHWC ? 3 : 1;
    }
}
