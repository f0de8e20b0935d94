package org.bnlab.cli;

import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The smallest experiments that still train: ResNet-8 on a generated two-class image folder of 8x8 PNGs (20
 * training and 10 test images per class), one epoch, no activation statistics. A run takes about a second of
 * training; a fresh JVM that runs one takes 10-20 s on two busy cores, most of it loading ND4J.
 */
final class TinyGrid {

    /** Training images per class in the generated folder; the experiments use the first 20 unless they say more. */
    static final int TRAIN_IMAGES_PER_CLASS = 60;

    private TinyGrid() {
    }

    /**
     * Writes the class-folder data set {@code root/{train,test}/class{0,1}/*.png} ({@value #TRAIN_IMAGES_PER_CLASS}
     * training and 10 test images per class) and returns {@code root}.
     */
    static Path writeData(Path root) throws IOException {
        for (String split : new String[]{"train", "test"}) {
            int count = split.equals("train") ? TRAIN_IMAGES_PER_CLASS : 10;
            for (int c = 0; c < 2; c++) {
                Path dir = Files.createDirectories(root.resolve(split).resolve("class" + c));
                for (int i = 0; i < count; i++) {
                    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            // class 0: a horizontal gradient, class 1: a vertical one; each image shifted a little
                            int v = ((c == 0 ? x : y) * 30 + i * 3) & 0xFF;
                            image.setRGB(x, y, (v << 16) | (((v * 7) & 0xFF) << 8) | ((i * 11 + c * 100) & 0xFF));
                        }
                    }
                    ImageIO.write(image, "png", dir.resolve("img" + i + ".png").toFile());
                }
            }
        }
        return root;
    }

    /** The common part of the tiny experiment files: data under {@code data}, depth 8, {@code epochs} epochs. */
    static String base(String name, Path data, int epochs) {
        return """
                name: %s
                question: Does a grid submitted to Slurm give the numbers of a local run?
                base:
                  data: {dataset: folder, root: '%s', image_size: 8, train_per_class: 20, test_per_class: 10}
                  model.depth: 8
                  train: {epochs: %d, batch_size: 20}
                  measure.activation_stats_every: 0
                """.formatted(name, data.toAbsolutePath().toString().replace("'", "''"), epochs);
    }

    /** Three runs: BN with He, no BN with He, no BN with zero-residual. */
    static Path threeRuns(Path dir, Path data) throws IOException {
        return Files.writeString(dir.resolve("tiny.yaml"), base("tiny", data, 1) + """
                zip:
                  - model.normalization: [batchnorm, none, none]
                    model.init: [he, he, zero-residual]
                """);
    }

    static ExperimentPlan plan(Path file) {
        return ExperimentPlan.expand(ExperimentFiles.load(file));
    }

    /** Marks a run as finished (completed, one epoch) by writing its summary, as a finished run leaves it. */
    static void finish(Path out, String runId) {
        RunFolder.at(out.resolve(runId)).writeSummary(new RunSummary(runId, RunStatus.COMPLETED, null, null, "folder",
                "resnet8", 8, "A", "batchnorm", "he", 0.1, 20, 1, 1, 42, 40, 20, 0.5, 0.5, 1.0));
    }

    /** What a command line printed and returned. */
    record Outcome(int status, String out, String err) {
    }

    /**
     * Runs the command line in this JVM with standard output captured. Not for use while another thread prints to
     * {@code System.out}: its lines would land here.
     */
    static synchronized Outcome bnlab(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            int status = Bnlab.execute(new PrintWriter(err, true), args);
            return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }
}
