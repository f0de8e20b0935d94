package org.bnlab.measure;

/**
 * Percentiles of a float sample by selection (quickselect), without sorting it: the definition is numpy's default
 * ({@code method="linear"}): for a fraction q in [0, 1] of n values sorted as x(0) <= ... <= x(n-1), with
 * h = (n - 1) q and k = floor(h), the percentile is x(k) + (h - k) (x(k+1) - x(k)) (x(k) itself when k = n - 1).
 * Selection costs O(n) per percentile (deterministic median-of-three pivots; a range that does not shrink after 64
 * rounds is sorted instead, so no input is quadratic), and several increasing fractions reuse each other's
 * partitions. A sample holding a NaN has NaN percentiles.
 */
public final class Percentiles {

    private static final int MAX_ROUNDS = 64;

    private Percentiles() {
    }

    /**
     * The percentiles of the first {@code n} values of {@code values} at {@code fractions}, which must be increasing
     * in [0, 1]. The values are reordered (partitioned) in place.
     *
     * @throws IllegalArgumentException for n < 1, n beyond the array, or fractions not increasing within [0, 1]
     */
    public static double[] of(float[] values, int n, double... fractions) {
        if (n < 1 || n > values.length) {
            throw new IllegalArgumentException("need 1 to " + values.length + " values, got n = " + n);
        }
        double[] out = new double[fractions.length];
        for (int i = 0; i < fractions.length; i++) {
            double q = fractions[i];
            if (!(q >= 0 && q <= 1) || (i > 0 && q < fractions[i - 1])) {
                throw new IllegalArgumentException("fractions must be increasing within [0, 1], got "
                        + java.util.Arrays.toString(fractions));
            }
        }
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(values[i])) {
                java.util.Arrays.fill(out, Double.NaN);
                return out;
            }
        }
        int from = 0; // values[0..from) are <= every value at or after from (the previous selection's left side)
        for (int i = 0; i < fractions.length; i++) {
            double h = (n - 1) * fractions[i];
            int k = (int) Math.floor(h);
            select(values, from, n - 1, k);
            double low = values[k];
            double value = low;
            if (k + 1 < n && h > k) {
                float next = values[k + 1];
                for (int j = k + 2; j < n; j++) { // the smallest value right of k is x(k+1)
                    next = Math.min(next, values[j]);
                }
                value = low + (h - k) * (next - low);
            }
            out[i] = value;
            from = k;
        }
        return out;
    }

    /**
     * Reorders {@code a[lo..hi]} (inclusive) so that {@code a[k]} holds the value it would hold if the range were
     * sorted, with no larger value before it and no smaller one after it.
     */
    static void select(float[] a, int lo, int hi, int k) {
        int rounds = 0;
        while (hi > lo) {
            if (++rounds > MAX_ROUNDS) {
                java.util.Arrays.sort(a, lo, hi + 1);
                return;
            }
            int mid = (lo + hi) >>> 1;
            float pivot = medianOfThree(a[lo], a[mid], a[hi]);
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // a[lo..j] <= pivot, a[i..hi] >= pivot, anything between equals the pivot
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static float medianOfThree(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
