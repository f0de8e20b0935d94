package org.bnlab.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A small learnable MNIST-format data set on disk: the four gzipped IDX files of a {@code fashion-mnist/} or
 * {@code mnist/} folder, 28x28 grayscale, ten classes; an image of class k is noise with a bright horizontal band at
 * rows 2k+4 and 2k+5.
 */
public final class IdxFixtures {

    private IdxFixtures() {
    }

    /** Writes {@code folder}'s four files with {@code train} and {@code test} images (labels cycling 0..9). */
    public static void write(Path folder, int train, int test, long seed) throws IOException {
        Files.createDirectories(folder);
        SplittableRandom random = new SplittableRandom(seed);
        split(folder, "train", train, random);
        split(folder, "t10k", test, random);
    }

    private static void split(Path folder, String prefix, int count, SplittableRandom random) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + count * 784).putInt(0x803).putInt(count).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            labels.put((byte) label);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean band = y / 2 == label + 2;
                    images.put((byte) (band ? 160 + random.nextInt(96) : random.nextInt(96)));
                }
            }
        }
        gzip(folder.resolve(prefix + "-images-idx3-ubyte.gz"), images.array());
        gzip(folder.resolve(prefix + "-labels-idx1-ubyte.gz"), labels.array());
    }

    private static void gzip(Path file, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
    }
}
