package org.bnlab.report.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reliability diagram (Guo et al. 2017, figure 1): per confidence bin, the accuracy (percent) against the mean
 * confidence (percent), with the diagonal of perfect calibration; empty bins are left out.
 */
public final class ReliabilityPlot {

    private ReliabilityPlot() {
    }

    /**
     * Writes the diagram to {@code png} (atomically).
     *
     * @param binAccuracyPct   [bins] accuracy per bin, percent, NaN for an empty bin
     * @param binConfidencePct [bins] mean confidence per bin, percent, NaN for an empty bin
     * @param binCount         [bins] images per bin
     */
    public static void write(Path png, String title, double[] binAccuracyPct, double[] binConfidencePct,
                             int[] binCount) {
        XYChart chart = PlotStyle.chart(640, 560, "", "mean confidence (%)", "accuracy (%)");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(100.0).setYAxisMin(0.0).setYAxisMax(100.0);
        XYSeries diagonal = chart.addSeries("perfect calibration", new double[]{0, 100}, new double[]{0, 100});
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(PlotStyle.ANNOTATION);
        diagonal.setLineStyle(PlotStyle.DASHED);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int b = 0; b < binCount.length; b++) {
            if (binCount[b] > 0) {
                x.add(binConfidencePct[b]);
                y.add(binAccuracyPct[b]);
            }
        }
        if (!x.isEmpty()) {
            XYSeries bins = chart.addSeries("bins (" + binCount.length + ")", x, y);
            bins.setMarker(SeriesMarkers.CIRCLE);
            bins.setLineColor(PlotStyle.armColor(0));
            bins.setMarkerColor(PlotStyle.armColor(0));
            bins.setLineStyle(PlotStyle.SOLID);
        }
        PngFigure.write(png, title, List.of(chart), 640, 560 + PngFigure.TITLE_HEIGHT);
    }
}
