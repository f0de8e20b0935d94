package org.bnlab.results;

/**
 * Statistics of one layer's output over one training batch (every element of the activation array: all images,
 * positions and channels together).
 *
 * @param layer        the graph vertex's name, e.g. {@code s1b1_1_conv}
 * @param kind         what the vertex computes, e.g. {@code conv}, {@code batchnorm+relu}, {@code add+relu}: with
 *                     the fused oneDNN kernels one vertex can stand for two operations, and its name alone
 *                     would not say so
 * @param shape        the array's shape, batch first, in the network's layout, e.g. {@code 128x32x32x16}
 * @param mean         mean of the elements
 * @param std          population standard deviation (divided by n, not n - 1)
 * @param min          smallest element
 * @param max          largest element
 * @param meanAbs      mean of the absolute values
 * @param zeroFraction fraction of elements exactly 0 (after a ReLU: units that are off; a unit off for every
 *                     image is dead)
 */
public record LayerActivationStats(String layer, String kind, String shape, double mean, double std, double min,
                                   double max, double meanAbs, double zeroFraction) {
}
