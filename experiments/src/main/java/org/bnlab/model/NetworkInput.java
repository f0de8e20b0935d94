package org.bnlab.model;

import org.bnlab.data.Layout;

/**
 * What a network is built for besides its own settings: the data's images and classes, and how it is computed.
 *
 * @param imageSize image height and width in pixels (square images)
 * @param channels  image channels (3 for CIFAR, 1 for MNIST)
 * @param classes   classifier outputs
 * @param layout    the requested activation layout ({@code execution.layout}); a factory may feed another
 *                  ({@link NetworkFactory#batchLayout})
 * @param kernels   which code computes convolutions and normalization (the function is the same)
 */
public record NetworkInput(int imageSize, int channels, int classes, Layout layout, KernelPath kernels) {
}
