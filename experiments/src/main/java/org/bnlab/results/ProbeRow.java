package org.bnlab.results;

/**
 * One row of {@code probe.csv}: one weight layer at one probe snapshot (see {@code org.bnlab.measure.ProbeSnapshot}
 * for how each number is computed). Percentiles, mean and std describe the layer's pre-activation on the fixed probe
 * batch in inference mode (Ioffe and Szegedy 2015, Figure 1, follow the 15th, 50th and 85th percentiles of such an
 * input to a nonlinearity over training). Norms are Euclidean (L2) norms over all elements; the BN columns are NaN
 * when no BN layer follows the weight layer ({@code bn} is then {@code -}).
 *
 * @param epoch            1-based epoch the snapshot was taken in
 * @param iteration        training steps completed before the snapshot (0 = the freshly initialised network)
 * @param layer            the weight layer's vertex name in the plain DL4J graph (e.g. {@code s1b1_1_conv})
 * @param kind             {@code conv}, {@code dense} or {@code output}
 * @param preActivation    the vertex whose pre-activation is summarised: the BN that follows the layer, else the
 *                         layer itself (a classifier's logits, before its softmax)
 * @param p15              15th percentile of the pre-activation's elements (all images, channels and positions)
 * @param p50              median
 * @param p85              85th percentile
 * @param mean             mean of the elements
 * @param std              population standard deviation of the elements
 * @param weightNorm       L2 norm of the layer's weights {@code W} (bias excluded)
 * @param gradientNorm     L2 norm of dLoss/dW on the probe batch (mean cross-entropy, training-mode pass, no weight
 *                         decay term)
 * @param bn               the BN layer that follows, or {@code -}
 * @param bnMeanGap        mean over channels of |probe-batch mean - running mean| / sqrt(running var + eps) of
 *                         the BN's input
 * @param bnVarRatio       mean over channels of (probe-batch var + eps) / (running var + eps) of the BN's input
 * @param gammaNearZero    fraction of the BN's channels with |gamma| below 0.01
 */
public record ProbeRow(int epoch, long iteration, String layer, String kind, String preActivation, double p15,
                       double p50, double p85, double mean, double std, double weightNorm, double gradientNorm,
                       String bn, double bnMeanGap, double bnVarRatio, double gammaNearZero) {

    /** The {@code bn} value of a layer without a following BN layer. */
    public static final String NO_BN = "-";

    /** The same row taken at another time (epoch and iteration replaced). */
    public ProbeRow at(int epoch, long iteration) {
        return new ProbeRow(epoch, iteration, layer, kind, preActivation, p15, p50, p85, mean, std, weightNorm,
                gradientNorm, bn, bnMeanGap, bnVarRatio, gammaNearZero);
    }
}
