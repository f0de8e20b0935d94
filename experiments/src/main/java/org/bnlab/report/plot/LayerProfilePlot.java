package org.bnlab.report.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A per-layer profile of a network in one PNG of {@value #WIDTH} x {@value #HEIGHT} pixels: one or more panels side
 * by side, each a value against the layer's index (1 = nearest the input), one line per arm in the same colour in
 * every panel. Used for He et al. 2016's Figure 7 (layer responses in network order and sorted) and for gradient
 * norms by depth (Yang et al. 2019). Values that are not finite are left out of their line.
 */
public final class LayerProfilePlot {

    /** Width of the whole image, pixels. */
    public static final int WIDTH = 1400;
    /** Height of the whole image, pixels. */
    public static final int HEIGHT = 650;

    private LayerProfilePlot() {
    }

    /**
     * One arm's line in a panel.
     *
     * @param label  the arm's legend label (the same arm has the same label in every panel)
     * @param layers layer indices (x)
     * @param values the value at each index (y), same length
     */
    public record Line(String label, double[] layers, double[] values) {
        public Line {
            Objects.requireNonNull(label, "label");
            if (layers.length != values.length) {
                throw new IllegalArgumentException("arm " + label + ": " + layers.length + " layers but "
                        + values.length + " values");
            }
        }
    }

    /**
     * One panel: its title, axis titles and lines, in legend order with distinct labels.
     */
    public record Panel(String title, String xTitle, String yTitle, List<Line> lines) {
        public Panel {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Writes the figure to {@code png} (atomically; parent folders are created). An arm keeps the colour of its
     * position among the labels of all panels, first seen first.
     *
     * @throws IllegalArgumentException     if there is no panel, or a panel has two lines of one label
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a layer profile needs at least one panel");
        }
        List<String> labels = new ArrayList<>();
        List<XYChart> charts = new ArrayList<>();
        int width = WIDTH / panels.size();
        for (Panel panel : panels) {
            PlotStyle.requireDistinct(panel.lines().stream().map(Line::label).toList());
            XYChart chart = PlotStyle.chart(width, HEIGHT - PngFigure.TITLE_HEIGHT, panel.title(), panel.xTitle(),
                    panel.yTitle());
            for (Line line : panel.lines()) {
                if (!labels.contains(line.label())) {
                    labels.add(line.label());
                }
                add(chart, line, PlotStyle.armColor(labels.indexOf(line.label())));
            }
            charts.add(chart);
        }
        PngFigure.write(png, title, charts, WIDTH, HEIGHT);
    }

    private static void add(XYChart chart, Line line, Color color) {
        double[] y = line.values().clone();
        boolean any = false;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                any = true;
            } else {
                y[i] = Double.NaN; // XChart leaves NaN out
            }
        }
        if (!any) {
            return;
        }
        XYSeries series = chart.addSeries(line.label(), line.layers(), y);
        series.setLineColor(color);
        series.setLineStyle(PlotStyle.SOLID);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
    }
}
