package org.bnlab.report.plot;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.bnlab.results.EpochMetrics;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves of several arms in one PNG of {@value #WIDTH} x {@value #HEIGHT} pixels: test accuracy (%) by
 * epoch on the left, training loss by epoch on the right.
 *
 * <p>Per arm, a line is the mean over seeds and the shaded band around it spans the smallest to the largest seed
 * (min–max rather than ±sd: with the usual two to five seeds an sd is itself very uncertain, while min–max shows
 * every seed). At each epoch both are over the seeds that finished it (see {@link SeedAggregate}). A run that
 * diverged is marked with a cross, labelled "diverged", at the epoch in which it diverged: it has no metrics for
 * that epoch, so the cross sits at the run's last value, or at the top edge of the panel if it diverged in epoch
 * 1. The loss axis is logarithmic when every loss is positive; NaN and infinite values are left out.
 */
public final class TrainingCurvesPlot {

    static {
        Headless.ensure();
    }

    /** Width of the whole image, pixels. */
    public static final int WIDTH = 1400;
    /** Height of the whole image, pixels. */
    public static final int HEIGHT = 600;

    private static final int BAND_ALPHA = 50;

    /** What a panel shows: a value per epoch. */
    private enum Metric {
        TEST_ACCURACY("Test accuracy: mean over seeds, band min–max", "test accuracy (%)",
                m -> 100.0 * m.testAccuracy(), false, 0.0, 100.0),
        TRAIN_LOSS("Training loss: mean over seeds, band min–max", "training loss (cross-entropy)",
                EpochMetrics::trainLoss, true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

        final String title;
        final String axis;
        final ToDoubleFunction<EpochMetrics> value;
        final boolean logWhenPositive;
        final double floor;
        final double ceiling;

        Metric(String title, String axis, ToDoubleFunction<EpochMetrics> value, boolean logWhenPositive,
               double floor, double ceiling) {
            this.title = title;
            this.axis = axis;
            this.value = value;
            this.logWhenPositive = logWhenPositive;
            this.floor = floor;
            this.ceiling = ceiling;
        }
    }

    private TrainingCurvesPlot() {
    }

    /**
     * Writes the two-panel figure to {@code png} (atomically; parent folders are created).
     *
     * @param png   the image file to write
     * @param title the figure's title, across the top
     * @param arms  the arms in legend order, with distinct labels; each keeps one colour in both panels
     * @throws NullPointerException         if an argument is null
     * @throws IllegalArgumentException     if two arms have the same label
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, List<Arm> arms) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(arms, "arms");
        PlotStyle.requireDistinct(arms.stream().map(Arm::label).toList());
        int panelWidth = WIDTH / 2;
        int panelHeight = HEIGHT - PngFigure.TITLE_HEIGHT;
        List<XYChart> panels = List.of(
                panel(arms, Metric.TEST_ACCURACY, panelWidth, panelHeight),
                panel(arms, Metric.TRAIN_LOSS, panelWidth, panelHeight));
        PngFigure.write(png, title, panels, WIDTH, HEIGHT);
    }

    private static XYChart panel(List<Arm> arms, Metric metric, int width, int height) {
        List<List<Map<Integer, Double>>> values = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (Arm arm : arms) {
            List<Map<Integer, Double>> seeds = new ArrayList<>();
            for (Arm.Run run : arm.runs()) {
                Map<Integer, Double> byEpoch = byEpoch(run, metric);
                seeds.add(byEpoch);
                all.addAll(byEpoch.values());
            }
            values.add(seeds);
        }
        boolean log = metric.logWhenPositive && !all.isEmpty() && all.stream().allMatch(v -> v > 0);
        AxisRange range = AxisRange.around(all.stream().mapToDouble(Double::doubleValue).toArray(), log,
                metric.floor, metric.ceiling, log ? 0.1 : 0.0, metric == Metric.TEST_ACCURACY ? 100.0 : 1.0);

        String yTitle = metric.axis + (log ? ", log scale" : "");
        XYChart chart = PlotStyle.chart(width, height, metric.title, "epoch", yTitle);
        range.applyToY(chart.getStyler());
        chart.getStyler().setXAxisMin(1.0);
        chart.getStyler().setXAxisMax((double) Math.max(2, lastEpoch(arms)));
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PlotStyle.wholeNumbers());
        // below the chart, so that it never covers a line, a band or a divergence marker
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);

        Set<String> labelled = new HashSet<>();
        for (int a = 0; a < arms.size(); a++) {
            addArm(chart, arms.get(a), values.get(a), PlotStyle.armColor(a), range, labelled);
        }
        return chart;
    }

    /** A run's finite values by epoch; non-positive ones are kept, they only rule out a log axis. */
    private static Map<Integer, Double> byEpoch(Arm.Run run, Metric metric) {
        Map<Integer, Double> byEpoch = new LinkedHashMap<>();
        for (EpochMetrics m : run.epochs()) {
            double v = metric.value.applyAsDouble(m);
            if (Double.isFinite(v)) {
                byEpoch.put(m.epoch(), v);
            }
        }
        return byEpoch;
    }

    private static void addArm(XYChart chart, Arm arm, List<Map<Integer, Double>> seeds, Color color,
                               AxisRange range, Set<String> labelled) {
        List<SeedAggregate.Point> points = SeedAggregate.byX(seeds);
        if (!points.isEmpty()) {
            addBand(chart, arm.label() + " (band)", points, color);
            double[] x = points.stream().mapToDouble(SeedAggregate.Point::x).toArray();
            double[] mean = points.stream().mapToDouble(SeedAggregate.Point::mean).toArray();
            XYSeries line = chart.addSeries(arm.label(), x, mean);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(color);
            line.setLineStyle(PlotStyle.SOLID);
            line.setMarker(points.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            line.setMarkerColor(color);
        }
        addDivergences(chart, arm, seeds, color, range, labelled);
    }

    /** The min–max band as a filled polygon: along the maxima, back along the minima; not in the legend. */
    static void addBand(XYChart chart, String name, List<SeedAggregate.Point> points, Color color) {
        int n = points.size();
        double[] x = new double[2 * n];
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            SeedAggregate.Point p = points.get(i);
            SeedAggregate.Point back = points.get(n - 1 - i);
            x[i] = p.x();
            y[i] = p.max();
            x[n + i] = back.x();
            y[n + i] = back.min();
        }
        XYSeries band = chart.addSeries(name, x, y);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(PlotStyle.translucent(color, BAND_ALPHA));
        band.setLineColor(PlotStyle.translucent(color, 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
    }

    /**
     * One cross per diverged run at (diverged epoch, last value), or at the top edge without a last value, with a
     * "diverged" label above it (below it at the top edge); one label per position however many runs share it.
     */
    private static void addDivergences(XYChart chart, Arm arm, List<Map<Integer, Double>> seeds,
                                       Color color, AxisRange range, Set<String> labelled) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < arm.runs().size(); i++) {
            Integer diverged = arm.runs().get(i).divergedEpoch();
            if (diverged == null) {
                continue;
            }
            Double last = lastBefore(seeds.get(i), diverged);
            boolean atTop = last == null || (range.log() && last <= 0);
            double y = atTop ? range.hi() : last;
            xs.add((double) diverged);
            ys.add(y);
            double labelY = range.shifted(y, atTop ? -0.05 : 0.045);
            if (labelled.add(diverged + "@" + labelY)) {
                chart.addAnnotation(new AnnotationText("diverged", diverged, labelY, false));
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        String name = arm.label() + ": diverged" + (xs.size() > 1 ? " (" + xs.size() + " runs)" : "");
        XYSeries marks = chart.addSeries(name, xs, ys);
        marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        marks.setMarker(SeriesMarkers.CROSS);
        marks.setMarkerColor(color);
    }

    /** The value of the last epoch before {@code epoch}, or null if the run has none. */
    private static Double lastBefore(Map<Integer, Double> byEpoch, int epoch) {
        return byEpoch.entrySet().stream().filter(e -> e.getKey() < epoch)
                .max(Map.Entry.comparingByKey()).map(Map.Entry::getValue).orElse(null);
    }

    private static int lastEpoch(List<Arm> arms) {
        int last = 0;
        for (Arm arm : arms) {
            for (Arm.Run run : arm.runs()) {
                for (EpochMetrics m : run.epochs()) {
                    last = Math.max(last, m.epoch());
                }
                if (run.divergedEpoch() != null) {
                    last = Math.max(last, run.divergedEpoch());
                }
            }
        }
        return last;
    }
}
