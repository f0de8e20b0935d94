package org.bnlab.analysis;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact per-channel mean and biased variance of activations seen batch after batch, in double precision: each
 * batch's mean and sum of squared deviations, combined with the running totals by Chan, Golub and LeVeque's
 * parallel formula (1979; {@code M2 = M2_a + M2_b + delta^2 n_a n_b / n}), which does not cancel as
 * {@code E[x^2] - E[x]^2} does.
 */
public final class PopulationStatistics {

    private final int channels;
    private final double[] mean;
    private final double[] m2;
    private long count;

    public PopulationStatistics(int channels) {
        this.channels = channels;
        this.mean = new double[channels];
        this.m2 = new double[channels];
    }

    /**
     * Adds the activations {@code x}: rank 4 with the channels on {@code channelAxis} (1: NCHW, 3: NHWC), or rank 2
     * [batch, features]; every other position counts as one value of its channel.
     */
    public void add(INDArray x, int channelAxis) {
        int axis = x.rank() == 2 ? 1 : channelAxis;
        if (x.size(axis) != channels) {
            throw new IllegalArgumentException("expected " + channels + " channels on axis " + axis + ", got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        float[] values = x.dup('c').castTo(DataType.FLOAT).data().asFloat();
        // stride of the channel index in c order: product of the sizes after the axis
        long inner = 1;
        for (int d = axis + 1; d < x.rank(); d++) {
            inner *= x.size(d);
        }
        long outer = values.length / (inner * channels);
        long n = outer * inner;
        double[] sum = new double[channels];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (long i = 0; i < inner; i++) {
                    s += values[k++];
                }
                sum[c] += s;
            }
        }
        double[] batchMean = new double[channels];
        for (int c = 0; c < channels; c++) {
            batchMean[c] = sum[c] / n;
        }
        double[] batchM2 = new double[channels];
        k = 0;
        for (long o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                double s = 0;
                double m = batchMean[c];
                for (long i = 0; i < inner; i++) {
                    double d = values[k++] - m;
                    s += d * d;
                }
                batchM2[c] += s;
            }
        }
        long total = count + n;
        for (int c = 0; c < channels; c++) {
            double delta = batchMean[c] - mean[c];
            mean[c] += delta * n / total;
            m2[c] += batchM2[c] + delta * delta * ((double) count * n / total);
        }
        count = total;
    }

    /** Values seen per channel. */
    public long count() {
        return count;
    }

    /** The mean per channel, [C]. */
    public double[] mean() {
        return mean.clone();
    }

    /** The biased variance per channel (divided by the count), [C]. */
    public double[] variance() {
        double[] v = new double[channels];
        for (int c = 0; c < channels; c++) {
            v[c] = count == 0 ? Double.NaN : m2[c] / count;
        }
        return v;
    }
}
