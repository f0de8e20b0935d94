package org.bnlab.report.plot;

import java.util.List;
import java.util.Objects;

/**
 * One arm of a sweep for {@link SweepPlot}: its runs' outcomes at each value of the swept setting.
 *
 * @param label  what sets the arm apart, shown in the legend, e.g. {@code normalization=none, init=he}
 * @param points the outcomes by swept value, in any order
 */
public record SweepArm(String label, List<Point> points) {

    /**
     * The runs of one arm at one swept value.
     *
     * @param value               the swept setting's value (a learning rate, a depth), finite
     * @param finalTestAccuracies final test accuracy of each run that completed, 0..1; NaN entries are ignored
     * @param divergedRuns        how many runs at this value diverged, 0 or more
     * @throws IllegalArgumentException if {@code value} is not finite or {@code divergedRuns} is negative
     */
    public record Point(double value, List<Double> finalTestAccuracies, int divergedRuns) {
        public Point {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("swept value must be finite, got " + value);
            }
            if (divergedRuns < 0) {
                throw new IllegalArgumentException("diverged runs must be 0 or more, got " + divergedRuns);
            }
            finalTestAccuracies = List.copyOf(finalTestAccuracies);
        }
    }

    /** @throws NullPointerException if {@code label} or {@code points} is null */
    public SweepArm {
        Objects.requireNonNull(label, "label");
        points = List.copyOf(points);
    }
}
