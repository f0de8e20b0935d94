package org.bnlab.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of {@code pixel / 255}, used to normalise inputs as
 * {@code (x/255 - mean) / std}. Computed on the training split only, so that nothing about the
 * test images leaks into the model.
 *
 * @param mean three values, R G B
 * @param std  three positive values, R G B
 */
public record ChannelStats(float[] mean, float[] std) {

    public ChannelStats {
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new DatasetException("channel statistics need 3 means and 3 standard deviations");
        }
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new DatasetException("channel " + c + " has mean " + mean[c] + " and std " + std[c]
                        + "; the std must be positive and both finite");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The three means, R G B (a copy: the record stays immutable). */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** The three standard deviations, R G B (a copy). */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** Mean 0 and std 1: inputs become plain {@code x/255}. */
    public static ChannelStats identity() {
        return new ChannelStats(new float[] {0, 0, 0}, new float[] {1, 1, 1});
    }

    /**
     * Population mean and std over all pixels of all images. Sums are exact integers (a long holds
     * them for any set that fits in a Java array), so the result does not depend on summation order.
     */
    public static ChannelStats of(ImageSet train) {
        if (train.size() == 0) {
            throw new DatasetException("cannot compute channel statistics of an empty image set");
        }
        long[] sum = new long[3];
        long[] sumOfSquares = new long[3];
        byte[] pixels = train.pixels();
        for (int p = 0; p < pixels.length; p += 3) {
            for (int c = 0; c < 3; c++) {
                long v = pixels[p + c] & 0xFF;
                sum[c] += v;
                sumOfSquares[c] += v * v;
            }
        }
        double n = pixels.length / 3.0;
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
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
