package org.bnlab.report.plot;

import static org.bnlab.report.plot.PngChecks.assertArmsDrawn;
import static org.bnlab.report.plot.PngChecks.assertOnly;
import static org.bnlab.report.plot.PngChecks.assertPlot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesPlotTest {

    @TempDir
    Path tmp;

    @Test
    void drawsEveryArmIncludingDivergedRunsAndASingleSeed() throws Exception {
        Path png = tmp.resolve("curves.png");
        TrainingCurvesPlot.write(png, "resnet20 on cifar10, lr 0.1", PlotFixtures.trainingArms());

        // arm 2 has no curve at all, only the cross of a run that diverged in epoch 1
        assertArmsDrawn(png, TrainingCurvesPlot.WIDTH, TrainingCurvesPlot.HEIGHT, 4);
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void createsFoldersAndReplacesAnOldImage() throws Exception {
        Path png = tmp.resolve("a/b/curves.png");
        Files.createDirectories(png.getParent());
        Files.writeString(png, "old");
        TrainingCurvesPlot.write(png, "title", PlotFixtures.trainingArms().subList(0, 1));
        assertPlot(png, TrainingCurvesPlot.WIDTH, TrainingCurvesPlot.HEIGHT);
        assertOnly(png.getParent(), "curves.png");
    }

    @Test
    void armsWithoutAnyMetricsStillGiveAnImage() throws Exception {
        Path png = tmp.resolve("diverged.png");
        TrainingCurvesPlot.write(png, "every run diverged in epoch 1", List.of(
                new Arm("a", List.of(new Arm.Run(1, List.of(), 1), new Arm.Run(2, List.of(), 1))),
                new Arm("b", List.of())));
        assertPlot(png, TrainingCurvesPlot.WIDTH, TrainingCurvesPlot.HEIGHT);
    }

    @Test
    void rejectsTwoArmsWithOneLabel() {
        List<Arm> arms = List.of(new Arm("same", List.of()), new Arm("same", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingCurvesPlot.write(tmp.resolve("x.png"), "t", arms));
        assertThrows(IllegalArgumentException.class, () -> new Arm.Run(1, List.of(), 0));
    }
}
