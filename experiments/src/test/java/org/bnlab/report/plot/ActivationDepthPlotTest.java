package org.bnlab.report.plot;

import static org.bnlab.report.plot.PngChecks.assertArmsDrawn;
import static org.bnlab.report.plot.PngChecks.assertPlot;

import java.nio.file.Path;
import java.util.List;

import org.bnlab.results.ActivationRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationDepthPlotTest {

    @TempDir
    Path tmp;

    @Test
    void drawsFirstAndLastSnapshotOfEveryArm() throws Exception {
        Path png = tmp.resolve("depth.png");
        ActivationDepthPlot.write(png, "activations by depth", PlotFixtures.activationArms());

        assertArmsDrawn(png, ActivationDepthPlot.WIDTH, ActivationDepthPlot.HEIGHT, 3);
    }

    @Test
    void zeroAndNaNValuesAreLeftOut() throws Exception {
        List<ActivationRow> rows = PlotFixtures.snapshot(1, 0, 4, 1.0, 1.0, 1);
        for (int layer = 0; layer < 4; layer++) {
            rows = PlotFixtures.withLayer(rows, layer, layer % 2 == 0 ? 0.0 : Double.NaN, 0.0);
        }
        Path png = tmp.resolve("nothing.png");
        ActivationDepthPlot.write(png, "nothing positive", List.of(
                new ArmActivations("dead", List.of(new ArmActivations.Run(1, rows))),
                new ArmActivations("no runs", List.of())));
        assertPlot(png, ActivationDepthPlot.WIDTH, ActivationDepthPlot.HEIGHT);
    }
}
