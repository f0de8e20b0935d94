package org.bnlab.report.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/**
 * The look shared by every bnlab plot: fonts large enough to read in a report, a white plot with light grid
 * lines, and twelve arm colours: first the Okabe–Ito colours (Okabe and Ito 2008, "Color Universal Design"), which
 * stay apart for readers with the common forms of colour blindness, then five darker ones from Paul Tol's muted
 * scheme and Tableau 10 for figures with more arms (a depth sweep of plain networks and ResNets has ten). Each arm
 * keeps its colour across the panels of a figure.
 */
final class PlotStyle {

    static {
        Headless.ensure();
    }

    static final Color TEXT = new Color(0x22, 0x22, 0x22);

    /**
     * Okabe–Ito without its yellow, which is too light on white, black seventh; then wine, olive and indigo (Tol's
     * muted), grey and brown (Tableau 10). Any two are at least 26 apart in CIELAB (Delta E 1976; the closest pair
     * is Okabe–Ito's blue and sky blue), so no two arms of a figure look alike.
     */
    private static final Color[] ARM_COLORS = {
            new Color(0x00, 0x72, 0xB2), // blue
            new Color(0xD5, 0x5E, 0x00), // vermillion
            new Color(0x00, 0x9E, 0x73), // bluish green
            new Color(0xCC, 0x79, 0xA7), // reddish purple
            new Color(0xE6, 0x9F, 0x00), // orange
            new Color(0x56, 0xB4, 0xE9), // sky blue
            new Color(0x00, 0x00, 0x00),
            new Color(0x88, 0x22, 0x55), // wine
            new Color(0x99, 0x99, 0x33), // olive
            new Color(0x33, 0x22, 0x88), // indigo
            new Color(0x88, 0x88, 0x88), // grey
            new Color(0x8C, 0x56, 0x4B), // brown
    };

    static final float LINE_WIDTH = 2.2f;
    static final BasicStroke SOLID = new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED = new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {9f, 6f}, 0f);

    /** Colour of a diverged-run marker's label. */
    static final Color ANNOTATION = new Color(0x55, 0x55, 0x55);

    private PlotStyle() {
    }

    /** The colour of the {@code index}-th arm (0-based), repeating after twelve arms. */
    static Color armColor(int index) {
        return ARM_COLORS[Math.floorMod(index, ARM_COLORS.length)];
    }

    /** {@code color} with opacity {@code alpha} (0 transparent .. 255 opaque), for bands behind lines. */
    static Color translucent(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    /** An empty line chart of {@code width x height} pixels with bnlab's fonts, colours and grid. */
    static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        XYStyler styler = chart.getStyler();
        styler.setBaseFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
        styler.setAnnotationTextFontColor(ANNOTATION);
        styler.setChartFontColor(TEXT);
        styler.setAxisTickLabelsColor(TEXT);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0xBB, 0xBB, 0xBB));
        styler.setPlotGridLinesColor(new Color(0xE3, 0xE3, 0xE3));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartTitleBoxVisible(false);
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 225));
        styler.setLegendBorderColor(new Color(0xCC, 0xCC, 0xCC));
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendSeriesLineLength(28);
        styler.setMarkerSize(10);
        styler.setChartPadding(12);
        styler.setAntiAlias(true);
        styler.setLocale(Locale.ROOT);
        styler.setToolTipsEnabled(false);
        return chart;
    }

    /**
     * Checks that arm labels are distinct: they name the chart's series, and two arms under one name could not be
     * told apart in the legend.
     *
     * @throws IllegalArgumentException naming the first repeated label
     */
    static void requireDistinct(List<String> labels) {
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (!seen.add(label)) {
                throw new IllegalArgumentException("two arms are labelled '" + label + "'");
            }
        }
    }

    /** Tick labels for whole numbers only (epochs, layer indices): a tick between two of them gets no label. */
    static Function<Double, String> wholeNumbers() {
        return x -> Math.abs(x - Math.rint(x)) < 1e-9 ? String.format(Locale.ROOT, "%d", Math.round(x)) : "";
    }
}
