package org.bnlab.data.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files whose contents are known functions of their position. */
public final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** The gray value of pixel (y, x) of image i. */
    public static int pixel(int i, int y, int x) {
        return (i * 37 + y * 11 + x * 5) & 0xFF;
    }

    /** The label of item i, for {@code classes} classes. */
    public static int label(int i, int classes) {
        return (i * 7 + 3) % classes;
    }

    /** An IDX image file (magic 0x803) of {@code count} images of rows x columns. */
    public static byte[] images(int count, int rows, int columns) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * columns);
        b.putInt(IdxFiles.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(columns);
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < columns; x++) {
                    b.put((byte) pixel(i, y, x));
                }
            }
        }
        return b.array();
    }

    /** An IDX label file (magic 0x801) of {@code count} labels from {@link #label}. */
    public static byte[] labels(int count, int classes) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(IdxFiles.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) label(i, classes));
        }
        return b.array();
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The four MNIST files in {@code folder}: {@code train} training and {@code test} test images of 28x28 with ten
     * classes, gzipped (as published) or plain.
     */
    public static void writeMnistLayout(Path folder, int train, int test, boolean gzipped) {
        byte[][] contents = {images(train, 28, 28), labels(train, 10), images(test, 28, 28), labels(test, 10)};
        for (int k = 0; k < 4; k++) {
            String name = MnistFiles.FILES.get(k);
            write(folder.resolve(gzipped ? name + ".gz" : name), gzipped ? gzip(contents[k]) : contents[k]);
        }
    }
}
