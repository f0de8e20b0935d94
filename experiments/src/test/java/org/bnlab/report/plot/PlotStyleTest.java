package org.bnlab.report.plot;

import static org.bnlab.report.plot.PngChecks.assertArmsDrawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotStyleTest {

    /** Closer than this (CIELAB Delta E 1976) two line colours are hard to tell apart in a legend. */
    private static final double MIN_DELTA_E = 20.0;

    @TempDir
    Path tmp;

    @Test
    void twelveArmsGetTwelveColoursThatLookApart() {
        for (int i = 0; i < 12; i++) {
            for (int j = i + 1; j < 12; j++) {
                double deltaE = deltaE(PlotStyle.armColor(i), PlotStyle.armColor(j));
                assertTrue(deltaE >= MIN_DELTA_E, "arms " + i + " and " + j + ": " + PlotStyle.armColor(i)
                        + " and " + PlotStyle.armColor(j) + " are only " + deltaE + " apart");
            }
        }
        assertEquals(PlotStyle.armColor(0), PlotStyle.armColor(12), "the thirteenth arm repeats the first colour");
        assertEquals(PlotStyle.armColor(11), PlotStyle.armColor(-1));
    }

    @Test
    void aPlotOfTwelveArmsShowsEachArmsColour() throws Exception {
        List<Arm> arms = new ArrayList<>();
        for (int a = 0; a < 12; a++) {
            arms.add(new Arm("arm " + a, List.of(new Arm.Run(1, PlotFixtures.curve(10, 0.3 + 0.05 * a, a), null))));
        }
        Path png = tmp.resolve("curves.png");
        TrainingCurvesPlot.write(png, "twelve arms", arms);
        assertArmsDrawn(png, TrainingCurvesPlot.WIDTH, TrainingCurvesPlot.HEIGHT, 12);
    }

    /** Euclidean distance of the two colours in CIELAB (D65 white), from sRGB. */
    private static double deltaE(Color a, Color b) {
        double[] p = lab(a);
        double[] q = lab(b);
        return Math.sqrt(Math.pow(p[0] - q[0], 2) + Math.pow(p[1] - q[1], 2) + Math.pow(p[2] - q[2], 2));
    }

    private static double[] lab(Color c) {
        double r = linear(c.getRed());
        double g = linear(c.getGreen());
        double b = linear(c.getBlue());
        double x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
        double y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
        double z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
        return new double[] {116 * y - 16, 500 * (x - y), 200 * (y - z)};
    }

    private static double linear(int channel) {
        double v = channel / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116.0;
    }
}
