package org.bnlab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes a tiny CIFAR-10 in the official binary layout ({@code cifar-10-batches-bin/}: five training files, a test
 * file and the label names), so that a whole experiment trains in seconds without the real data set. Each image is
 * a noisy colour that depends on its class, so a network can learn something from it; the content is a fixed
 * function of the arguments.
 */
public final class TinyCifar {

    private static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    private static final int RECORD = 1 + 3 * 32 * 32;

    private TinyCifar() {
    }

    /**
     * Writes {@code root/cifar-10-batches-bin/} with {@code trainPerClass} training and {@code testPerClass} test
     * images of each of the 10 classes, and returns {@code root} (the data root to give {@code data.root}).
     */
    public static Path write(Path root, int trainPerClass, int testPerClass) {
        Path dir = root.resolve("cifar-10-batches-bin");
        try {
            Files.createDirectories(dir);
            Random random = new Random(12345);
            int train = trainPerClass * 10;
            // the training images spread over the five files in order; a file may be empty
            int k = 0;
            for (int file = 1; file <= 5; file++) {
                int count = train / 5 + (file <= train % 5 ? 1 : 0);
                byte[] content = new byte[count * RECORD];
                for (int j = 0; j < count; j++, k++) {
                    record(k % 10, random, content, j * RECORD);
                }
                Files.write(dir.resolve("data_batch_" + file + ".bin"), content);
            }
            byte[] test = new byte[testPerClass * 10 * RECORD];
            for (int j = 0; j < testPerClass * 10; j++) {
                record(j % 10, random, test, j * RECORD);
            }
            Files.write(dir.resolve("test_batch.bin"), test);
            Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", NAMES) + "\n\n");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void record(int label, Random random, byte[] target, int at) {
        target[at] = (byte) label;
        for (int c = 0; c < 3; c++) {
            int base = 40 + ((label * (c + 3) * 37) % 180);
            for (int p = 0; p < 1024; p++) {
                target[at + 1 + c * 1024 + p] = (byte) Math.max(0, Math.min(255, base + random.nextInt(61) - 30));
            }
        }
    }
}
