package org.bnlab.report.plot;

import static org.bnlab.report.plot.PngChecks.assertArmsDrawn;
import static org.bnlab.report.plot.PngChecks.assertPlot;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlotTest {

    @TempDir
    Path tmp;

    @Test
    void drawsMeansAndDivergedPointsOnALogAxis() throws Exception {
        Path png = tmp.resolve("sweep.png");
        SweepPlot.write(png, "learning-rate sweep", "learning rate", PlotFixtures.sweepArms());

        assertArmsDrawn(png, SweepPlot.WIDTH, SweepPlot.HEIGHT, 3);
    }

    @Test
    void aNarrowSweepOnALinearAxis() throws Exception {
        Path png = tmp.resolve("depth-sweep.png");
        SweepPlot.write(png, "depth sweep", "depth (layers)", List.of(
                new SweepArm("bn", List.of(
                        new SweepArm.Point(20, List.of(0.91, 0.92), 0),
                        new SweepArm.Point(56, List.of(0.93, Double.NaN), 0),
                        new SweepArm.Point(110, List.of(), 0))),
                new SweepArm("none", List.of(new SweepArm.Point(110, List.of(), 2)))));
        assertPlot(png, SweepPlot.WIDTH, SweepPlot.HEIGHT);
    }

    @Test
    void logXOnlyForPositiveValuesSpanningMoreThanAFactorOfTen() {
        assertTrue(SweepPlot.logX(new double[] {0.01, 0.1, 1}));
        assertFalse(SweepPlot.logX(new double[] {20, 56, 110}));
        assertFalse(SweepPlot.logX(new double[] {0, 0.1, 1}));
        assertFalse(SweepPlot.logX(new double[] {}));
    }

    @Test
    void rejectsBadPoints() {
        assertThrows(IllegalArgumentException.class, () -> new SweepArm.Point(Double.NaN, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new SweepArm.Point(0.1, List.of(), -1));
    }
}
