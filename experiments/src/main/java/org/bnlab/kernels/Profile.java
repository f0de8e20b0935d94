package org.bnlab.kernels;

import java.util.Map;
import java.util.TreeMap;

/**
 * Optional wall-clock accounting of the kernels' pieces (primitives, copies, statistics updates), for finding
 * overhead: off unless the system property {@value #PROPERTY} is {@code true}, and then only summed per label, on the
 * calling thread's clock. Not thread-safe: meant for single-threaded benchmarks (KernelBench, ResNetStepProfile).
 */
public final class Profile {

    public static final String PROPERTY = "bnlab.kernels.profile";
    public static final boolean ON = Boolean.getBoolean(PROPERTY);

    private static final Map<String, long[]> TOTALS = new TreeMap<>();

    private Profile() {
    }

    /** A start time to pass to {@link #add}, or 0 when profiling is off. */
    static long start() {
        return ON ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code start} to {@code label} (when profiling is on); returns the current time. */
    static long add(String label, long start) {
        if (!ON) {
            return 0;
        }
        long now = System.nanoTime();
        long[] t = TOTALS.computeIfAbsent(label, k -> new long[2]);
        t[0] += now - start;
        t[1]++;
        return now;
    }

    /** Clears all totals. */
    public static void reset() {
        TOTALS.clear();
    }

    /** Label -> {total ns, count} since the last {@link #reset}. */
    public static Map<String, long[]> totals() {
        Map<String, long[]> copy = new TreeMap<>();
        TOTALS.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
