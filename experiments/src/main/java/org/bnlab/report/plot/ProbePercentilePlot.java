package org.bnlab.report.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

/**
 * One layer's pre-activation on the fixed probe batch over training, as in Ioffe and Szegedy 2015, Figure 1 (b, c):
 * the 15th, 50th and 85th percentiles against the training iteration, one colour per arm (median solid, 15th and
 * 85th dashed), each the mean over the arm's seeds of the runs' percentiles at that snapshot. Values that are not
 * finite (a diverged run) are left out.
 */
public final class ProbePercentilePlot {

    public static final int WIDTH = 1100;
    public static final int HEIGHT = 650;

    private ProbePercentilePlot() {
    }

    /**
     * One arm's percentiles at its snapshots, mean over its seeds.
     *
     * @param iterations training iterations of the snapshots, increasing
     * @param p15        15th percentile at each snapshot (same length as {@code iterations}); likewise p50, p85
     * @param seeds      runs averaged
     */
    public record ArmSeries(String label, double[] iterations, double[] p15, double[] p50, double[] p85, int seeds) {
        public ArmSeries {
            if (p15.length != iterations.length || p50.length != iterations.length
                    || p85.length != iterations.length) {
                throw new IllegalArgumentException("arm " + label + ": percentiles and iterations differ in length");
            }
        }
    }

    /**
     * Writes the figure to {@code png}.
     *
     * @throws IllegalArgumentException if there are no arms or two share a label
     */
    public static void write(Path png, String title, String layer, List<ArmSeries> arms) {
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("a probe plot needs at least one arm");
        }
        PlotStyle.requireDistinct(arms.stream().map(ArmSeries::label).toList());
        XYChart chart = PlotStyle.chart(WIDTH, HEIGHT - PngFigure.TITLE_HEIGHT,
                layer + ": 15th, 50th, 85th percentile of the pre-activation, mean over seeds",
                "training iteration", "pre-activation on the probe batch");
        for (int a = 0; a < arms.size(); a++) {
            ArmSeries arm = arms.get(a);
            Color color = PlotStyle.armColor(a);
            String seeds = arm.seeds() == 1 ? "" : " (" + arm.seeds() + " seeds)";
            add(chart, arm.label() + seeds + ": 85th", arm.iterations(), arm.p85(), color, false);
            add(chart, arm.label() + seeds + ": 50th", arm.iterations(), arm.p50(), color, true);
            add(chart, arm.label() + seeds + ": 15th", arm.iterations(), arm.p15(), color, false);
        }
        PngFigure.write(png, title, List.of(chart), WIDTH, HEIGHT);
    }

    private static void add(XYChart chart, String name, double[] x, double[] values, Color color, boolean median) {
        double[] y = values.clone();
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
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setLineStyle(median ? PlotStyle.SOLID : PlotStyle.DASHED);
        series.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setMarkerColor(color);
    }
}
