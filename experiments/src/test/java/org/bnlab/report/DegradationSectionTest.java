package org.bnlab.report;

import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The degradation section (He et al. 2016, Fig. 6) on a hand-made results folder: plain networks and ResNets at
 * depths 8 and 14, three seeds, with chosen accuracies (a fixture's training accuracy is its test accuracy + 0.05).
 */
class DegradationSectionTest {

    /** Student t quantile for a 95% interval with 2 degrees of freedom (R: qt(0.975, 2)). */
    private static final double T_2 = 4.302652729749464;

    @TempDir
    Path tmp;

    private ExperimentPlan plan() throws IOException {
        Path file = Files.writeString(tmp.resolve("degradation.yaml"), """
                name: degradation
                question: Do deeper plain networks train worse?
                base:
                  train.epochs: 2
                grid:
                  model.shortcut: [none, A]
                  model.depth: [8, 14]
                seeds: [1, 2, 3]
                """);
        return ExperimentPlan.expand(ExperimentFiles.load(file));
    }

    private static PlannedRun run(ExperimentPlan plan, String shortcut, int depth, int seed) {
        return plan.runs().stream().filter(r -> r.spec().model().shortcut().id().equals(shortcut)
                && r.spec().model().depth() == depth && r.spec().seed() == seed).findFirst().orElseThrow();
    }

    /**
     * Final test accuracies: plain-8 0.50, 0.52, 0.54; plain-14 0.40, 0.42, 0.44 (ten points worse, sd 2 each:
     * the interval excludes zero); ResNet-8 as plain-8; ResNet-14 0.55, 0.60, 0.65 (eight points better, but with
     * sd 5 the interval includes zero).
     */
    private Path folder() throws IOException {
        ExperimentPlan plan = plan();
        Path dir = tmp.resolve("out");
        PlanFixtures.experiment(dir, plan);
        double[][] finals = {{0.50, 0.52, 0.54}, {0.40, 0.42, 0.44}, {0.50, 0.52, 0.54}, {0.55, 0.60, 0.65}};
        String[] shortcuts = {"none", "none", "A", "A"};
        int[] depths = {8, 14, 8, 14};
        for (int arm = 0; arm < 4; arm++) {
            for (int seed = 1; seed <= 3; seed++) {
                double last = finals[arm][seed - 1];
                PlanFixtures.completed(dir, plan, run(plan, shortcuts[arm], depths[arm], seed), last - 0.1, last);
            }
        }
        return dir;
    }

    @Test
    void givesTheFinalErrorsPerDepthAndTheDeepMinusShallowContrasts() throws IOException {
        Path dir = folder();
        ExperimentReport report = ExperimentReport.build(dir, 0.6);
        DegradationSection section = new DegradationSection(report);
        assertTrue(section.applies());

        Table errors = section.errors();
        assertEquals(List.of("plain", "plain", "resnet (A)", "resnet (A)"),
                errors.stringColumn("network").asList());
        assertEquals(List.of(8, 14, 8, 14), errors.intColumn("depth").asList());
        double[] trainMeans = {43.0, 53.0, 43.0, 35.0};
        double[] testMeans = {48.0, 58.0, 48.0, 40.0};
        double[] sds = {2.0, 2.0, 2.0, 5.0};
        for (int i = 0; i < 4; i++) {
            assertEquals(trainMeans[i], errors.doubleColumn("train_error_mean").getDouble(i), 1e-4, "row " + i);
            assertEquals(testMeans[i], errors.doubleColumn("test_error_mean").getDouble(i), 1e-4, "row " + i);
            assertEquals(sds[i], errors.doubleColumn("train_error_sd").getDouble(i), 1e-4, "row " + i);
            assertEquals(3, errors.intColumn("train_error_n").getInt(i));
            double half = T_2 * sds[i] / Math.sqrt(3);
            assertEquals(trainMeans[i] - half, errors.doubleColumn("train_error_ci_low").getDouble(i), 1e-4);
            assertEquals(trainMeans[i] + half, errors.doubleColumn("train_error_ci_high").getDouble(i), 1e-4);
        }

        Table contrasts = section.contrasts();
        assertEquals(List.of("plain", "plain", "resnet (A)", "resnet (A)"),
                contrasts.stringColumn("network").asList());
        assertEquals(List.of("train", "test", "train", "test"), contrasts.stringColumn("error").asList());
        assertEquals(List.of(10.0, 10.0, -8.0, -8.0), contrasts.doubleColumn("difference").asList());
        assertEquals(List.of("deeper is higher", "deeper is higher", "no difference shown", "no difference shown"),
                contrasts.stringColumn("finding").asList());
        // Welch with equal sds and sizes: df = 4, se = sqrt(4/3 + 4/3)
        double half = 2.7764451051977987 * Math.sqrt(8.0 / 3);
        assertEquals(10.0 - half, contrasts.doubleColumn("ci_low").getDouble(0), 1e-4);
        assertTrue(contrasts.doubleColumn("ci_low").getDouble(2) < 0 && contrasts.doubleColumn("ci_high").getDouble(2) > 0);

        report.writeTo(dir);
        String md = Files.readString(dir.resolve(ExperimentReport.MARKDOWN));
        assertTrue(md.contains("## Degradation: plain networks against ResNets by depth"), md);
        assertTrue(md.contains("**Answer.** Deeper plain networks end with higher training error: yes, the interval"
                + " excludes zero. Deeper ResNets end with lower training error (the opposite): not shown (the"
                + " interval includes zero)."), md);
        assertTrue(md.contains("- plain, training error, 14 minus 8 layers: +10.00 points (95% CI"), md);
        List<String> csv = Files.readAllLines(dir.resolve(DegradationSection.CSV));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("network,depth,runs,diverged,train_error_mean,train_error_sd,train_error_n,"),
                csv.get(0));
        assertEquals(5, Files.readAllLines(dir.resolve(DegradationSection.CONTRASTS_CSV)).size());

        Path png = dir.resolve("plots").resolve(DegradationSection.PLOT);
        assertTrue(md.contains("plots/" + DegradationSection.PLOT), md);
        byte[] bytes = Files.readAllBytes(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * org.bnlab.report.plot.DegradationPlot.WIDTH_PER_PANEL, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, colours.size() + " colours");
    }

    @Test
    void isAbsentWhereNoPlainNetworkIsComparedAcrossDepths() throws IOException {
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(Home.defaultExperiment()));
        Path dir = tmp.resolve("default");
        PlanFixtures.experiment(dir, plan);
        plan.runs().forEach(r -> PlanFixtures.completed(dir, plan, r, 0.3, 0.4));
        ExperimentReport report = ExperimentReport.build(dir, 0.6);
        assertFalse(new DegradationSection(report).applies());
        report.writeTo(dir);
        assertFalse(Files.exists(dir.resolve(DegradationSection.CSV)));
        assertFalse(Files.readString(dir.resolve(ExperimentReport.MARKDOWN)).contains("Degradation"));
    }
}
