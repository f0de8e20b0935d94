package org.bnlab.report.plot;

import org.bnlab.results.EpochMetrics;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * He et al. 2016's Fig. 6 in one PNG of {@value #WIDTH_PER_PANEL} pixels per panel by {@value #HEIGHT}: error (%)
 * by epoch, one panel per kind of network side by side (plain networks left, ResNets right), one colour per depth
 * (the same depth has the same colour in every panel), training error dashed and test error bold. Each line is the
 * mean over seeds, the band around it spans the smallest to the largest seed ({@link SeedAggregate}). Error is
 * 100 minus the accuracy in percent; the training error is that of the epoch's training batches (as the paper's
 * curves), the test error that of the evaluation after the epoch.
 */
public final class DegradationPlot {

    static {
        Headless.ensure();
    }

    /** Width of one panel, pixels. */
    public static final int WIDTH_PER_PANEL = 700;
    /** Height of the whole image, pixels. */
    public static final int HEIGHT = 620;

    private static final BasicStroke BOLD = new BasicStroke(PlotStyle.LINE_WIDTH * 1.6f, BasicStroke.CAP_ROUND,
            BasicStroke.JOIN_ROUND);

    /**
     * One panel: a kind of network at several depths.
     *
     * @param title  the panel's title, e.g. {@code plain} or {@code ResNet (option A)}
     * @param depths depth -> that depth's runs, one per seed (the epochs each run finished, before any divergence)
     */
    public record Panel(String title, Map<Integer, List<List<EpochMetrics>>> depths) {
        public Panel {
            Objects.requireNonNull(title, "title");
            depths = Map.copyOf(depths);
        }
    }

    private DegradationPlot() {
    }

    /**
     * Writes the figure to {@code png} (atomically; parent folders are created).
     *
     * @param panels the panels, left to right, at least one
     * @throws IllegalArgumentException     if there is no panel
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, List<Panel> panels) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(title, "title");
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a degradation plot needs at least one panel");
        }
        TreeSet<Integer> allDepths = new TreeSet<>();
        panels.forEach(p -> allDepths.addAll(p.depths().keySet()));
        List<Integer> colourOrder = new ArrayList<>(allDepths);
        List<Double> all = new ArrayList<>();
        int lastEpoch = 2;
        for (Panel panel : panels) {
            for (List<List<EpochMetrics>> seeds : panel.depths().values()) {
                for (List<EpochMetrics> run : seeds) {
                    for (EpochMetrics m : run) {
                        all.add(trainError(m));
                        all.add(testError(m));
                        lastEpoch = Math.max(lastEpoch, m.epoch());
                    }
                }
            }
        }
        // one y range for every panel, so that plain and residual errors compare at a glance
        AxisRange range = AxisRange.around(all.stream().mapToDouble(Double::doubleValue).toArray(), false, 0.0,
                100.0, 0.0, 100.0);
        List<XYChart> charts = new ArrayList<>();
        for (Panel panel : panels) {
            XYChart chart = PlotStyle.chart(WIDTH_PER_PANEL, HEIGHT - PngFigure.TITLE_HEIGHT, panel.title(),
                    "epoch", "error (%): training dashed, test bold");
            range.applyToY(chart.getStyler());
            chart.getStyler().setXAxisMin(1.0);
            chart.getStyler().setXAxisMax((double) lastEpoch);
            chart.getStyler().setxAxisTickLabelsFormattingFunction(PlotStyle.wholeNumbers());
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            for (int depth : new TreeSet<>(panel.depths().keySet())) {
                Color color = PlotStyle.armColor(colourOrder.indexOf(depth));
                List<List<EpochMetrics>> seeds = panel.depths().get(depth);
                addLine(chart, panel.title() + "-" + depth + " train", seeds, DegradationPlot::trainError, color,
                        PlotStyle.DASHED);
                addLine(chart, panel.title() + "-" + depth + " test", seeds, DegradationPlot::testError, color, BOLD);
            }
            charts.add(chart);
        }
        PngFigure.write(png, title, charts, WIDTH_PER_PANEL * panels.size(), HEIGHT);
    }

    /** Training error in percent: 100 minus the epoch's training accuracy. */
    public static double trainError(EpochMetrics m) {
        return 100.0 * (1.0 - m.trainAccuracy());
    }

    /** Test error in percent: 100 minus the test accuracy after the epoch. */
    public static double testError(EpochMetrics m) {
        return 100.0 * (1.0 - m.testAccuracy());
    }

    private static void addLine(XYChart chart, String name, List<List<EpochMetrics>> seeds,
                                ToDoubleFunction<EpochMetrics> value, Color color, BasicStroke stroke) {
        List<Map<Integer, Double>> byEpoch = new ArrayList<>();
        for (List<EpochMetrics> run : seeds) {
            Map<Integer, Double> values = new LinkedHashMap<>();
            run.forEach(m -> values.put(m.epoch(), value.applyAsDouble(m)));
            byEpoch.add(values);
        }
        List<SeedAggregate.Point> points = SeedAggregate.byX(byEpoch);
        if (points.isEmpty()) {
            return;
        }
        TrainingCurvesPlot.addBand(chart, name + " (band)", points, color);
        XYSeries line = chart.addSeries(name, points.stream().mapToDouble(SeedAggregate.Point::x).toArray(),
                points.stream().mapToDouble(SeedAggregate.Point::mean).toArray());
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setLineColor(color);
        line.setLineStyle(stroke);
        line.setMarker(points.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        line.setMarkerColor(color);
    }
}
