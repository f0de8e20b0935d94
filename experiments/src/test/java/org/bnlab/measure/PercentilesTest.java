package org.bnlab.measure;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PercentilesTest {

    private static final double[] FRACTIONS = {0, 0.15, 0.5, 0.85, 1};

    /** numpy's default ("linear") percentile from a full sort. */
    private static double bruteForce(float[] values, double q) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * q;
        int k = (int) Math.floor(h);
        if (k + 1 >= sorted.length || h == k) {
            return sorted[k];
        }
        return sorted[k] + (h - k) * ((double) sorted[k + 1] - sorted[k]);
    }

    @Test
    void agreesWithASortOnRandomSamplesWithAndWithoutTies() {
        Random random = new Random(3);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(trial < 100 ? 12 : 5000);
            float[] values = new float[n];
            boolean ties = trial % 3 == 0;
            for (int i = 0; i < n; i++) {
                values[i] = ties ? random.nextInt(4) - 1 : (float) random.nextGaussian() * 3;
            }
            double[] got = Percentiles.of(values.clone(), n, FRACTIONS);
            for (int i = 0; i < FRACTIONS.length; i++) {
                assertEquals(bruteForce(values, FRACTIONS[i]), got[i], 1e-12,
                        "n=" + n + " q=" + FRACTIONS[i] + " trial " + trial);
            }
        }
    }

    @Test
    void matchesNumpysLinearDefinition() {
        // numpy.percentile([1, 2, 3, 4], [15, 50, 85]) = [1.45, 2.5, 3.55]
        double[] p = Percentiles.of(new float[]{4, 1, 3, 2}, 4, 0.15, 0.5, 0.85);
        assertArrayEquals(new double[]{1.45, 2.5, 3.55}, p, 1e-6);
        // constant samples (a zero-initialised layer's output) and a single value
        assertArrayEquals(new double[]{0, 0, 0}, Percentiles.of(new float[100_000], 100_000, 0.15, 0.5, 0.85));
        assertArrayEquals(new double[]{7, 7}, Percentiles.of(new float[]{7}, 1, 0.15, 0.85));
        // only the first n values count
        assertArrayEquals(new double[]{2}, Percentiles.of(new float[]{2, 100, -100}, 1, 0.5));
    }

    /** Sorted and reversed input, the worst case of a naive quickselect (no test asserts on time). */
    @Test
    void aSortedOrReversedLargeSampleGivesTheMedian() {
        int n = 2_000_000;
        float[] ascending = new float[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = i;
        }
        float[] descending = new float[n];
        for (int i = 0; i < n; i++) {
            descending[i] = n - i;
        }
        assertEquals(0.5 * (n - 1), Percentiles.of(ascending, n, 0.5)[0], 1e-9);
        assertEquals(0.5 * (n - 1) + 1, Percentiles.of(descending, n, 0.5)[0], 1e-9);
    }

    @Test
    void nanGivesNanAndBadArgumentsAreRefused() {
        double[] p = Percentiles.of(new float[]{1, Float.NaN, 3}, 3, 0.15, 0.85);
        assertTrue(Double.isNaN(p[0]) && Double.isNaN(p[1]));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new float[3], 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new float[3], 4, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Percentiles.of(new float[3], 3, 0.85, 0.15));
        assertTrue(e.getMessage().contains("increasing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new float[3], 3, 1.5));
    }
}
