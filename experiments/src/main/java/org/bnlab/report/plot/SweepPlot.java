package org.bnlab.report.plot;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.bnlab.report.stats.SampleSummary;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Final test accuracy (%) against a swept setting (learning rate, depth, ...), one line per arm, in one PNG of
 * {@value #WIDTH} x {@value #HEIGHT} pixels.
 *
 * <p>Each point is the mean over the runs that completed; its error bar is the 95% Student t confidence interval
 * of that mean ({@link SampleSummary}), which is absent for a point with a single completed run (one run says
 * nothing about the spread; a bar of zero would claim it does). A value at which every run diverged has no
 * accuracy: it is drawn as a cross at 0% in the arm's colour, listed in the legend as "all runs diverged", and the
 * arm's line is broken there. Where only some runs diverged, the point is the mean of the others and is labelled
 * "k of n diverged". The x axis is logarithmic when all values are positive and span more than a factor of 10.
 * So that arms measured at the same values do not hide each other's points and bars, each arm is drawn shifted
 * sideways by a small fixed fraction of the axis ({@value #DODGE} of its width per arm, centred on the true value).
 */
public final class SweepPlot {

    static {
        Headless.ensure();
    }

    /** Width of the image, pixels. */
    public static final int WIDTH = 900;
    /** Height of the image, pixels. */
    public static final int HEIGHT = 600;

    /** Sideways shift between neighbouring arms, as a fraction of the x axis's width. */
    static final double DODGE = 0.018;

    /** How far right of its point a "k of n diverged" label is centred, as a fraction of the x axis's width. */
    private static final double LABEL_SHIFT = 0.075;

    private SweepPlot() {
    }

    /**
     * Writes the figure to {@code png} (atomically; parent folders are created).
     *
     * @param png       the image file to write
     * @param title     the figure's title, across the top
     * @param sweptAxis the x axis title: the swept setting with its unit, e.g. {@code learning rate}
     * @param arms      the arms in legend order, with distinct labels
     * @throws NullPointerException         if an argument is null
     * @throws IllegalArgumentException     if two arms have the same label
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, String sweptAxis, List<SweepArm> arms) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(sweptAxis, "sweptAxis");
        Objects.requireNonNull(arms, "arms");
        PlotStyle.requireDistinct(arms.stream().map(SweepArm::label).toList());
        PngFigure.write(png, title, List.of(chart(sweptAxis, arms)), WIDTH, HEIGHT);
    }

    private static XYChart chart(String sweptAxis, List<SweepArm> arms) {
        double[] xs = arms.stream().flatMap(a -> a.points().stream()).mapToDouble(SweepArm.Point::value).toArray();
        boolean logX = logX(xs);
        List<Double> ys = new ArrayList<>();
        for (SweepArm arm : arms) {
            for (SweepArm.Point p : arm.points()) {
                SampleSummary s = summary(p);
                if (s.n() > 0) {
                    ys.add(s.hasInterval() ? s.ciLow() : s.mean());
                    ys.add(s.hasInterval() ? s.ciHigh() : s.mean());
                } else if (p.divergedRuns() > 0) {
                    ys.add(0.0);
                }
            }
        }
        AxisRange y = AxisRange.around(ys.stream().mapToDouble(Double::doubleValue).toArray(), false, 0.0, 100.0,
                0.0, 100.0);
        AxisRange x = AxisRange.around(xs, logX, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0.0, 1.0);

        XYChart chart = PlotStyle.chart(WIDTH, HEIGHT - PngFigure.TITLE_HEIGHT,
                "Final test accuracy: mean of completed runs, bars 95% CI (none for one run)",
                sweptAxis + (logX ? " (log scale)" : ""), "final test accuracy (%)");
        y.applyToY(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setXAxisMin(x.lo());
        chart.getStyler().setXAxisMax(x.hi());
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        for (int a = 0; a < arms.size(); a++) {
            double dodge = (a - (arms.size() - 1) / 2.0) * DODGE;
            addArm(chart, arms.get(a), PlotStyle.armColor(a), dodge, x, y);
        }
        return chart;
    }

    /** Log x when every value is positive and the largest is more than 10 times the smallest. */
    static boolean logX(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return min > 0 && max > 10 * min;
    }

    private static SampleSummary summary(SweepArm.Point point) {
        return SampleSummary.of(point.finalTestAccuracies().stream().mapToDouble(a -> 100.0 * a).toArray());
    }

    private static void addArm(XYChart chart, SweepArm arm, Color color, double dodge, AxisRange x, AxisRange y) {
        List<SweepArm.Point> points = arm.points().stream()
                .sorted(Comparator.comparingDouble(SweepArm.Point::value)).toList();
        List<Double> lineX = new ArrayList<>();
        List<Double> lineY = new ArrayList<>();
        List<Double> bars = new ArrayList<>();
        List<Double> divergedX = new ArrayList<>();
        for (SweepArm.Point p : points) {
            SampleSummary s = summary(p);
            if (s.n() == 0 && p.divergedRuns() == 0) {
                continue;
            }
            double at = x.shifted(p.value(), dodge);
            lineX.add(at);
            // NaN breaks the line at a value where every run diverged: there is no accuracy to connect
            lineY.add(s.n() > 0 ? s.mean() : Double.NaN);
            bars.add(s.hasInterval() ? s.halfWidth() : 0.0);
            if (s.n() == 0) {
                divergedX.add(at);
            } else if (p.divergedRuns() > 0) {
                // beside the point rather than on it, clear of its error bar; on the left near the right edge
                double side = x.fractionOf(at) > 1 - 2 * LABEL_SHIFT ? -LABEL_SHIFT : LABEL_SHIFT;
                chart.addAnnotation(new AnnotationText(p.divergedRuns() + " of " + (p.divergedRuns() + s.n())
                        + " diverged", x.shifted(at, side), y.shifted(s.mean(), -0.035), false));
            }
        }
        if (lineY.stream().anyMatch(v -> !v.isNaN())) {
            XYSeries line = chart.addSeries(arm.label(), lineX, lineY, bars);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(color);
            line.setLineStyle(PlotStyle.SOLID);
            line.setMarker(SeriesMarkers.CIRCLE);
            line.setMarkerColor(color);
        }
        if (!divergedX.isEmpty()) {
            List<Double> zeros = divergedX.stream().map(v -> 0.0).toList();
            XYSeries marks = chart.addSeries(arm.label() + ": all runs diverged", divergedX, zeros);
            marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            marks.setMarker(SeriesMarkers.CROSS);
            marks.setMarkerColor(color);
        }
    }
}
