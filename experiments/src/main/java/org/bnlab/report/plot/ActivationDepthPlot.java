package org.bnlab.report.plot;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

import org.bnlab.results.ActivationRow;
import org.bnlab.results.LayerActivationStats;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How activations grow or shrink with depth, in one PNG of {@value #WIDTH} x {@value #HEIGHT} pixels: the
 * standard deviation of each layer's output on the left, its mean absolute value on the right, both on a log
 * scale against the layer's position in the network (1 = the first graph vertex that recorded statistics).
 *
 * <p>Per arm, a solid line shows the first snapshot of each run (usually iteration 0, the freshly initialised
 * network) and a dashed line the last snapshot, each the mean over seeds layer by layer. Layers are numbered in
 * the order they first appear in the arm's snapshots, so arms with different networks (BatchNorm adds vertices)
 * have lines of different lengths. A NaN or infinite value of a seed is left out of that layer's mean; a mean
 * that is zero or negative cannot be drawn on a log scale and leaves a gap in its line.
 */
public final class ActivationDepthPlot {

    static {
        Headless.ensure();
    }

    /** Width of the whole image, pixels. */
    public static final int WIDTH = 1400;
    /** Height of the whole image, pixels. */
    public static final int HEIGHT = 650;

    private ActivationDepthPlot() {
    }

    /** Which snapshot of a run. */
    private enum Snapshot { FIRST, LAST }

    /**
     * One arm's snapshots by seed, each as layer index -> statistics, with the iterations they were taken at;
     * {@code singleSnapshot} when every run has only one, so that first and last are the same.
     */
    private record ArmSnapshots(List<Map<Integer, LayerActivationStats>> first,
                                List<Map<Integer, LayerActivationStats>> last,
                                TreeSet<Long> firstIterations, TreeSet<Long> lastIterations,
                                boolean singleSnapshot) {

        List<Map<Integer, LayerActivationStats>> of(Snapshot snapshot) {
            return snapshot == Snapshot.FIRST ? first : last;
        }

        TreeSet<Long> iterations(Snapshot snapshot) {
            return snapshot == Snapshot.FIRST ? firstIterations : lastIterations;
        }
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
    public static void write(Path png, String title, List<ArmActivations> arms) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(arms, "arms");
        PlotStyle.requireDistinct(arms.stream().map(ArmActivations::label).toList());
        List<ArmSnapshots> snapshots = arms.stream().map(ActivationDepthPlot::snapshots).toList();
        int panelWidth = WIDTH / 2;
        int panelHeight = HEIGHT - PngFigure.TITLE_HEIGHT;
        List<XYChart> panels = List.of(
                panel("Standard deviation of each layer's output", "activation std (log scale)",
                        LayerActivationStats::std, arms, snapshots, panelWidth, panelHeight),
                panel("Mean |x| of each layer's output", "mean |activation| (log scale)",
                        LayerActivationStats::meanAbs, arms, snapshots, panelWidth, panelHeight));
        PngFigure.write(png, title, panels, WIDTH, HEIGHT);
    }

    private static XYChart panel(String chartTitle, String yTitle, ToDoubleFunction<LayerActivationStats> stat,
                                 List<ArmActivations> arms, List<ArmSnapshots> snapshots, int width, int height) {
        List<double[]> means = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (ArmSnapshots arm : snapshots) {
            for (Snapshot snapshot : Snapshot.values()) {
                double[] mean = meanByLayer(arm.of(snapshot), stat);
                means.add(mean);
                for (double v : mean) {
                    all.add(v);
                }
            }
        }
        AxisRange range = AxisRange.around(all.stream().mapToDouble(Double::doubleValue).toArray(), true,
                0.0, Double.POSITIVE_INFINITY, 0.1, 10.0);
        XYChart chart = PlotStyle.chart(width, height, chartTitle + ", mean over seeds",
                "layer (network order; a gap is a zero or NaN value)", yTitle);
        range.applyToY(chart.getStyler());
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PlotStyle.wholeNumbers());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);

        for (int a = 0; a < arms.size(); a++) {
            ArmSnapshots arm = snapshots.get(a);
            Color color = PlotStyle.armColor(a);
            for (Snapshot snapshot : Snapshot.values()) {
                if (snapshot == Snapshot.LAST && arm.singleSnapshot()) {
                    continue;
                }
                double[] y = drawable(means.get(2 * a + snapshot.ordinal()));
                if (y.length == 0) {
                    continue;
                }
                double[] x = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    x[i] = i + 1;
                }
                XYSeries series = chart.addSeries(arms.get(a).label() + ": " + describe(snapshot, arm), x, y);
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                series.setLineColor(color);
                series.setLineStyle(snapshot == Snapshot.FIRST ? PlotStyle.SOLID : PlotStyle.DASHED);
                series.setMarker(y.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                series.setMarkerColor(color);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.setTitle(chartTitle + ": no values to draw");
            // XChart's default for an empty chart, -1..1, would show layer numbers that cannot exist
            int layers = means.stream().mapToInt(m -> m.length).max().orElse(0);
            chart.getStyler().setXAxisMin(1.0);
            chart.getStyler().setXAxisMax((double) Math.max(2, layers));
        }
        return chart;
    }

    /** "first snapshot (iteration 0)", "last snapshot (iterations 3900–4200)", "only snapshot (iteration 0)". */
    private static String describe(Snapshot snapshot, ArmSnapshots arm) {
        TreeSet<Long> iterations = arm.iterations(snapshot);
        String which = arm.singleSnapshot() ? "only" : snapshot == Snapshot.FIRST ? "first" : "last";
        if (iterations.isEmpty()) {
            return which + " snapshot";
        }
        String at = iterations.size() == 1 ? "iteration " + iterations.first()
                : "iterations " + iterations.first() + "–" + iterations.last();
        return which + " snapshot (" + at + ")";
    }

    /** The mean over seeds at each layer index 0..max, NaN where no seed has a finite value. */
    private static double[] meanByLayer(List<Map<Integer, LayerActivationStats>> seeds,
                                        ToDoubleFunction<LayerActivationStats> stat) {
        List<Map<Integer, Double>> values = new ArrayList<>();
        int layers = 0;
        for (Map<Integer, LayerActivationStats> seed : seeds) {
            Map<Integer, Double> byLayer = new LinkedHashMap<>();
            seed.forEach((layer, stats) -> byLayer.put(layer, stat.applyAsDouble(stats)));
            values.add(byLayer);
            layers = Math.max(layers, seed.keySet().stream().mapToInt(i -> i + 1).max().orElse(0));
        }
        double[] mean = new double[layers];
        Arrays.fill(mean, Double.NaN);
        for (SeedAggregate.Point p : SeedAggregate.byX(values)) {
            mean[p.x()] = p.mean();
        }
        return mean;
    }

    /** {@code means} with values a log axis cannot show (zero, negative, NaN) set to NaN, which XChart leaves out. */
    private static double[] drawable(double[] means) {
        double[] y = means.clone();
        boolean any = false;
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] > 0) || Double.isInfinite(y[i])) {
                y[i] = Double.NaN;
            } else {
                any = true;
            }
        }
        return any ? y : new double[0];
    }

    /**
     * Each run's first and last snapshot, layers numbered by first appearance across the arm's runs (rows of a
     * snapshot are in network order).
     */
    private static ArmSnapshots snapshots(ArmActivations arm) {
        Map<String, Integer> layerIndex = new LinkedHashMap<>();
        List<Map<Integer, LayerActivationStats>> first = new ArrayList<>();
        List<Map<Integer, LayerActivationStats>> last = new ArrayList<>();
        TreeSet<Long> firstIterations = new TreeSet<>();
        TreeSet<Long> lastIterations = new TreeSet<>();
        boolean singleSnapshot = true;
        for (ArmActivations.Run run : arm.runs()) {
            TreeMap<Long, List<LayerActivationStats>> byIteration = new TreeMap<>();
            for (ActivationRow row : run.rows()) {
                byIteration.computeIfAbsent(row.iteration(), k -> new ArrayList<>()).add(row.stats());
            }
            if (byIteration.isEmpty()) {
                continue;
            }
            first.add(indexed(byIteration.firstEntry().getValue(), layerIndex));
            last.add(indexed(byIteration.lastEntry().getValue(), layerIndex));
            firstIterations.add(byIteration.firstKey());
            lastIterations.add(byIteration.lastKey());
            singleSnapshot &= byIteration.size() == 1;
        }
        return new ArmSnapshots(first, last, firstIterations, lastIterations, singleSnapshot);
    }

    private static Map<Integer, LayerActivationStats> indexed(List<LayerActivationStats> snapshot,
                                                              Map<String, Integer> layerIndex) {
        Map<Integer, LayerActivationStats> byIndex = new LinkedHashMap<>();
        for (LayerActivationStats stats : snapshot) {
            byIndex.put(layerIndex.computeIfAbsent(stats.layer(), k -> layerIndex.size()), stats);
        }
        return byIndex;
    }
}
