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
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                step.run();
            }
            rates[r] = (double) images * iterations / ((System.nanoTime() - start) / 1e9);
        }
        return new Throughput(rates);
    }
}
