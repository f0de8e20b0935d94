package org.bnlab.report.plot;

import org.bnlab.results.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DegradationPlotTest {

    private static List<EpochMetrics> run(double trainAccuracy, double testAccuracy) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int epoch = 1; epoch <= 4; epoch++) {
            double gain = 0.05 * epoch;
            epochs.add(new EpochMetrics(epoch, 0.1, 2.0 / epoch, trainAccuracy + gain, 2.1 / epoch,
                    testAccuracy + gain, 10, 10 * epoch, 100));
        }
        return epochs;
    }

    @Test
    void twoPanelsSideBySideWithOneColourPerDepth(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("plots").resolve("degradation.png");
        DegradationPlot.write(png, "degradation", List.of(
                new DegradationPlot.Panel("plain", Map.of(20, List.of(run(0.5, 0.45), run(0.52, 0.47)),
                        56, List.of(run(0.4, 0.35), run(0.42, 0.36)))),
                new DegradationPlot.Panel("resnet (A)", Map.of(20, List.of(run(0.5, 0.45), run(0.52, 0.47)),
                        56, List.of(run(0.6, 0.55), run(0.63, 0.56)), 110, List.of(run(0.65, 0.6))))));
        PngChecks.assertArmsDrawn(png, 2 * DegradationPlot.WIDTH_PER_PANEL, DegradationPlot.HEIGHT, 3);
    }

    @Test
    void errorIsOneHundredMinusAccuracyInPercent() {
        EpochMetrics m = new EpochMetrics(1, 0.1, 1.0, 0.8, 1.0, 0.75, 1, 1, 1);
        assertEquals(20.0, DegradationPlot.trainError(m), 1e-9);
        assertEquals(25.0, DegradationPlot.testError(m), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> DegradationPlot.write(Path.of("x.png"), "t", List.of()));
    }
}
