package org.bnlab.measure;

import java.util.Arrays;

/**
 * Images per second over several timed repetitions, summarised by the median and the spread (min, max), because a
 * shared machine's single timing says little.
 *
 * @param perRepetition images/s of each repetition
 */
public record Throughput(double[] perRepetition) {

    public Throughput {
        if (perRepetition.length == 0) {
            throw new IllegalArgumentException("no repetitions");
        }
        perRepetition = perRepetition.clone();
    }

    public double median() {
        double[] sorted = perRepetition.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double min() {
        return Arrays.stream(perRepetition).min().orElseThrow();
    }

    public double max() {
        return Arrays.stream(perRepetition).max().orElseThrow();
    }

    /** Times {@code repetitions} runs of {@code iterations} calls of {@code step}, each processing {@code images}. */
    public static Throughput measure(Runnable step, int images, int warmup, int repetitions, int iterations) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            rates[r] = timeOnce(step, images, iterations);
        }
        return new Throughput(rates);
    }

    /**
     * Two steps timed in alternating repetitions (baseline, variant, baseline, variant, ...), each warmed up first:
     * on a shared machine whose load drifts, both see the same conditions, which timing one after the other would
     * not give. The difference between them is what counts, more than either figure.
     */
    public static Pair measurePair(Runnable baseline, Runnable variant, int images, int warmup, int repetitions,
                                   int iterations) {
        for (int i = 0; i < warmup; i++) {
            baseline.run();
            variant.run();
        }
        double[] baselineRates = new double[repetitions];
        double[] variantRates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            baselineRates[r] = timeOnce(baseline, images, iterations);
            variantRates[r] = timeOnce(variant, images, iterations);
        }
        return new Pair(new Throughput(baselineRates), new Throughput(variantRates));
    }

    /** A variant timed against its baseline ({@link #measurePair}). */
    public record Pair(Throughput baseline, Throughput variant) {

        /**
         * Extra time per image the variant costs, in percent of the baseline's, from the medians: 25 means each
         * image takes a quarter longer (images/s down by a fifth).
         */
        public double overheadPercent() {
            return (baseline.median() / variant.median() - 1) * 100;
        }
    }

    private static double timeOnce(Runnable step, int images, int iterations) {
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            step.run();
        }
        return (double) images * iterations / ((System.nanoTime() - start) / 1e9);
    }
}
