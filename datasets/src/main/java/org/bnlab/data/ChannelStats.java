package org.bnlab.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of {@code pixel / 255}, used to normalise inputs as
 * {@code (x/255 - mean) / std}. Computed on the training split only, so that nothing about the
 * test images leaks into the model.
 *
 * @param mean one value per channel: R G B, or the one gray value
 * @param std  one positive value per channel, as many as {@code mean}
 */
public record ChannelStats(float[] mean, float[] std) {

    public ChannelStats {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new DatasetException("channel statistics need one mean and one standard deviation per channel, got "
                    + (mean == null ? 0 : mean.length) + " and " + (std == null ? 0 : std.length));
        }
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new DatasetException("channel " + c + " has mean " + mean[c] + " and std " + std[c]
                        + "; the std must be positive and both finite");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The means, one per channel, R G B (a copy: the record stays immutable). */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviations, one per channel, R G B (a copy). */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** How many channels these statistics are for: 3 (RGB) or 1 (grayscale). */
    public int channels() {
        return mean.length;
    }

    /** Mean 0 and std 1 for the three RGB channels: inputs become plain {@code x/255}. */
    public static ChannelStats identity() {
        return identity(ImageSet.RGB);
    }

    /** Mean 0 and std 1 for {@code channels} channels. */
    public static ChannelStats identity(int channels) {
        float[] ones = new float[channels];
        Arrays.fill(ones, 1);
        return new ChannelStats(new float[channels], ones);
    }

    /**
     * Population mean and std over all pixels of all images, per channel (as many as the images have). Sums are
     * exact integers (a long holds them for any set that fits in a Java array), so the result does not depend on
     * summation order.
     */
    public static ChannelStats of(ImageSet train) {
        if (train.size() == 0) {
            throw new DatasetException("cannot compute channel statistics of an empty image set");
        }
        int channels = train.channels();
        long[] sum = new long[channels];
        long[] sumOfSquares = new long[channels];
        byte[] pixels = train.pixels();
        for (int p = 0; p < pixels.length; p += channels) {
            for (int c = 0; c < channels; c++) {
                long v = pixels[p + c] & 0xFF;
                sum[c] += v;
                sumOfSquares[c] += v * v;
            }
        }
        double n = pixels.length / (double) channels;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / n;
            double variance = Math.max(0, sumOfSquares[c] / n - m * m);
            mean[c] = (float) (m / 255.0);
            std[c] = (float) (Math.sqrt(variance) / 255.0);
        }
        return new ChannelStats(mean, std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelStats other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
