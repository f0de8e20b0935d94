package org.bnlab.report.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Side-by-side panels of a range over training, one colour per arm: for each arm the band between a lower and an
 * upper curve (filled, translucent, edged by both curves), or a single line where the two are the same (Santurkar
 * et al. 2018, Figure 4: the range of the loss and of the gradient change over the step sizes). Points where either
 * curve is not finite (a diverged run) are left out.
 */
public final class BandPlot {

    public static final int WIDTH = 1650;
    public static final int HEIGHT = 600;
    private static final int BAND_ALPHA = 60;

    private BandPlot() {
    }

    /**
     * One arm's range at its x values.
     *
     * @param x     increasing x values (e.g. training steps)
     * @param lower lower curve, same length as {@code x}
     * @param upper upper curve, same length as {@code x}; equal to {@code lower} for a line
     */
    public record Series(String label, double[] x, double[] lower, double[] upper) {
        public Series {
            if (lower.length != x.length || upper.length != x.length) {
                throw new IllegalArgumentException("series " + label + ": curves and x differ in length");
            }
        }
    }

    /** One panel: its title, axis titles and one series per arm. */
    public record Panel(String title, String xTitle, String yTitle, List<Series> series) {
        public Panel {
            series = List.copyOf(series);
        }
    }

    /**
     * Writes the figure to {@code png} (atomically). An arm keeps the colour of its position among the labels of all
     * panels, first seen first.
     *
     * @throws IllegalArgumentException     if there is no panel, or a panel has two series of one label
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a band plot needs at least one panel");
        }
        List<String> labels = new ArrayList<>();
        List<XYChart> charts = new ArrayList<>();
        int width = WIDTH / panels.size();
        for (Panel panel : panels) {
            PlotStyle.requireDistinct(panel.series().stream().map(Series::label).toList());
            XYChart chart = PlotStyle.chart(width, HEIGHT - PngFigure.TITLE_HEIGHT, panel.title(), panel.xTitle(),
                    panel.yTitle());
            for (Series s : panel.series()) {
                if (!labels.contains(s.label())) {
                    labels.add(s.label());
                }
                add(chart, s, PlotStyle.armColor(labels.indexOf(s.label())));
            }
            charts.add(chart);
        }
        PngFigure.write(png, title, charts, WIDTH, HEIGHT);
    }

    private static void add(XYChart chart, Series s, Color color) {
        List<double[]> points = new ArrayList<>();
        boolean band = false;
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isFinite(s.lower()[i]) && Double.isFinite(s.upper()[i])) {
                points.add(new double[]{s.x()[i], s.lower()[i], s.upper()[i]});
                band |= s.lower()[i] != s.upper()[i];
            }
        }
        if (points.isEmpty()) {
            return;
        }
        int n = points.size();
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] lower = points.stream().mapToDouble(p -> p[1]).toArray();
        double[] upper = points.stream().mapToDouble(p -> p[2]).toArray();
        if (band) {
            double[] px = new double[2 * n];
            double[] py = new double[2 * n];
            for (int i = 0; i < n; i++) {
                px[i] = x[i];
                py[i] = upper[i];
                px[n + i] = x[n - 1 - i];
                py[n + i] = lower[n - 1 - i];
            }
            XYSeries fill = chart.addSeries(s.label() + " (band)", px, py);
            fill.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            fill.setFillColor(PlotStyle.translucent(color, BAND_ALPHA));
            fill.setLineColor(PlotStyle.translucent(color, 0));
            fill.setMarker(SeriesMarkers.NONE);
            fill.setShowInLegend(false);
            line(chart, s.label() + " (lower)", x, lower, color, false);
        }
        line(chart, s.label(), x, upper, color, true);
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color color, boolean legend) {
        XYSeries line = chart.addSeries(name, x, y);
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setLineColor(color);
        line.setLineStyle(PlotStyle.SOLID);
        line.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        line.setMarkerColor(color);
        line.setShowInLegend(legend);
    }
}
