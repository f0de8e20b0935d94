package org.bnlab.testing;

import org.bnlab.experiment.Experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The smallest experiment that trains for real: a ResNet-8 on a generated CIFAR-10 of 4 training and 2 test
 * images per class (40 and 20), batches of 16 (3 steps per epoch), 2 epochs, activation statistics every 2 steps.
 * The data is written once per JVM into a temporary folder.
 */
public final class TinyExperiment {

    public static final int TRAIN_PER_CLASS = 4;
    public static final int TEST_PER_CLASS = 2;

    private static Path folder;

    private TinyExperiment() {
    }

    /** A temporary folder for this JVM, removed when it exits. */
    public static synchronized Path folder() {
        if (folder == null) {
            try {
                folder = Files.createTempDirectory("bnlab-tiny-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path remove = folder;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(remove)));
        }
        return folder;
    }

    /** The data root holding the tiny {@code cifar-10-batches-bin/}. */
    public static synchronized Path dataRoot() {
        Path root = folder().resolve("data");
        if (!Files.isDirectory(root.resolve("cifar-10-batches-bin"))) {
            TinyCifar.write(root, TRAIN_PER_CLASS, TEST_PER_CLASS);
        }
        return root;
    }

    /** The base settings, as the lines of an experiment file's {@code base:} section (indented by two). */
    /**
     * {@link #baseLines()} with some lines replaced: {@code "  train.epochs: 1"} takes the place of the line of
     * {@code train.epochs} (writing a key twice is an error); an override of a key not there is added.
     */
    public static List<String> baseLines(String... overrides) {
        List<String> lines = new java.util.ArrayList<>(baseLines());
        for (String override : overrides) {
            String key = override.substring(0, override.indexOf(':') + 1);
            int at = lines.stream().map(l -> l.startsWith(key)).toList().indexOf(true);
            if (at < 0) {
                lines.add(override);
            } else {
                lines.set(at, override);
            }
        }
        return lines;
    }

    public static List<String> baseLines() {
        return List.of(
                "  data.root: \"" + dataRoot() + "\"",
                "  data.download: false",
                "  data.train_per_class: " + TRAIN_PER_CLASS,
                "  data.test_per_class: " + TEST_PER_CLASS,
                "  model.depth: 8",
                "  train.epochs: 2",
                "  train.batch_size: 16",
                "  train.learning_rate: 0.05",
                "  eval.batch_size: 20",
                "  eval.target_accuracy: 0.2",
                "  measure.activation_stats_every: 2");
    }

    /** An experiment with the base settings and nothing varying yet. */
    public static Experiment.Builder builder(String name) {
        return Experiment.builder(name)
                .set("data.root", "\"" + dataRoot() + "\"")
                .set("data.download", "false")
                .set("data.train_per_class", Integer.toString(TRAIN_PER_CLASS))
                .set("data.test_per_class", Integer.toString(TEST_PER_CLASS))
                .set("model.depth", "8")
                .set("train.epochs", "2")
                .set("train.batch_size", "16")
                .set("train.learning_rate", "0.05")
                .set("eval.batch_size", "20")
                .set("eval.target_accuracy", "0.2")
                .set("measure.activation_stats_every", "2");
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
