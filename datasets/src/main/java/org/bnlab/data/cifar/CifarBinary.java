package org.bnlab.data.cifar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bnlab.data.DatasetException;
import org.bnlab.data.DatasetParts;
import org.bnlab.data.ImageSet;

/**
 * Reads the official CIFAR-10 and CIFAR-100 binary releases (the {@code *-binary.tar.gz} archives
 * from https://www.cs.toronto.edu/~kriz/cifar.html, extracted) into {@link ImageSet}s.
 *
 * <p>Every file is checked before use: it must exist, its size must be a whole number of records,
 * every label byte must be in range, and the label-name files must have one name per class. Any
 * failure is a {@link DatasetException} naming the file.
 */
public final class CifarBinary {

    /** The folder the CIFAR-10 binary archive unpacks to. */
    public static final String CIFAR10_FOLDER = "cifar-10-batches-bin";
    /** The folder the CIFAR-100 binary archive unpacks to. */
    public static final String CIFAR100_FOLDER = "cifar-100-binary";

    private CifarBinary() {
    }

    /**
     * @param dir the extracted {@code cifar-10-batches-bin} folder: {@code data_batch_1.bin} ..
     *            {@code data_batch_5.bin}, {@code test_batch.bin}, {@code batches.meta.txt}
     */
    public static DatasetParts readCifar10(Path dir) {
        requireFolder(dir, "CIFAR-10");
        List<String> names = readLabelNames(dir.resolve("batches.meta.txt"), 10);
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            trainFiles.add(dir.resolve("data_batch_" + i + ".bin"));
        }
        ImageSet train = readRecords(trainFiles, CifarRecordFormat.CIFAR10, names);
        ImageSet test = readRecords(List.of(dir.resolve("test_batch.bin")), CifarRecordFormat.CIFAR10, names);
        return new DatasetParts(train, test, "CIFAR-10 binary at " + dir);
    }

    /**
     * @param dir  the extracted {@code cifar-100-binary} folder: {@code train.bin}, {@code test.bin},
     *             {@code fine_label_names.txt}, {@code coarse_label_names.txt}
     * @param kind whether images are labelled with the 100 fine classes or the 20 coarse ones
     */
    public static DatasetParts readCifar100(Path dir, Cifar100Labels kind) {
        requireFolder(dir, "CIFAR-100");
        // Both name files are checked even though only one is used: a damaged copy should fail loudly.
        List<String> fine = readLabelNames(dir.resolve("fine_label_names.txt"), 100);
        List<String> coarse = readLabelNames(dir.resolve("coarse_label_names.txt"), 20);
        List<String> names = kind == Cifar100Labels.COARSE ? coarse : fine;
        CifarRecordFormat format = CifarRecordFormat.cifar100(kind);
        ImageSet train = readRecords(List.of(dir.resolve("train.bin")), format, names);
        ImageSet test = readRecords(List.of(dir.resolve("test.bin")), format, names);
        String labels = kind == Cifar100Labels.COARSE ? "20 coarse labels" : "100 fine labels";
        return new DatasetParts(train, test, "CIFAR-100 binary (" + labels + ") at " + dir);
    }

    private static void requireFolder(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(what + " binary folder not found: " + dir);
        }
    }

    /** One name per line; trailing blank lines (the official files end with some) are ignored. */
    static List<String> readLabelNames(Path file, int expected) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file));
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing CIFAR label-name file " + file);
        } catch (IOException e) {
            throw new DatasetException("cannot read CIFAR label-name file " + file + ": " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        List<String> names = lines.stream().map(String::trim).toList();
        if (names.size() != expected || names.contains("")) {
            throw new DatasetException("corrupt CIFAR label-name file " + file + ": " + names.size()
                    + " lines" + (names.contains("") ? " with blanks" : "") + ", expected " + expected + " names");
        }
        return names;
    }

    /** Reads and checks all records of {@code files}, in order, into one ImageSet. */
    static ImageSet readRecords(List<Path> files, CifarRecordFormat format, List<String> names) {
        int recordBytes = format.recordBytes();
        long totalRecords = 0;
        for (Path file : files) {
            totalRecords += checkedRecordCount(file, recordBytes);
        }
        int count = Math.toIntExact(totalRecords);
        byte[] pixels = new byte[ImageSet.pixelBytes(count, CifarRecordFormat.SIDE, CifarRecordFormat.SIDE)];
        int[] labels = new int[count];
        int next = 0;
        for (Path file : files) {
            byte[] content = readAll(file);
            // Checked again: the file could have changed since its size was looked at.
            if (content.length % recordBytes != 0 || next + content.length / recordBytes > count) {
                throw new DatasetException("CIFAR file " + file + " changed while it was being read");
            }
            for (int r = 0; r < content.length / recordBytes; r++, next++) {
                int offset = r * recordBytes;
                for (int b = 0; b < format.labelBytes(); b++) {
                    int value = content[offset + b] & 0xFF;
                    if (value >= format.labelRanges()[b]) {
                        throw new DatasetException("corrupt CIFAR file " + file + ": record " + r + " has label "
                                + value + ", outside 0.." + (format.labelRanges()[b] - 1));
                    }
                }
                labels[next] = content[offset + format.usedLabel()] & 0xFF;
                planarToInterleaved(content, offset + format.labelBytes(), pixels, next * CifarRecordFormat.PIXEL_BYTES);
            }
        }
        return new ImageSet(pixels, labels, CifarRecordFormat.SIDE, CifarRecordFormat.SIDE, names);
    }

    private static long checkedRecordCount(Path file, int recordBytes) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing CIFAR file " + file);
        } catch (IOException e) {
            throw new DatasetException("cannot read CIFAR file " + file + ": " + e.getMessage(), e);
        }
        if (size == 0 || size % recordBytes != 0) {
            throw new DatasetException("corrupt CIFAR file " + file + ": " + size + " bytes is not a whole number of "
                    + recordBytes + "-byte records");
        }
        return size / recordBytes;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read CIFAR file " + file + ": " + e.getMessage(), e);
        }
    }

    /** CIFAR stores R, G and B planes one after the other; ImageSet wants r,g,b per pixel. */
    private static void planarToInterleaved(byte[] source, int from, byte[] target, int to) {
        int plane = CifarRecordFormat.PLANE;
        for (int p = 0; p < plane; p++) {
            target[to + 3 * p] = source[from + p];
            target[to + 3 * p + 1] = source[from + plane + p];
            target[to + 3 * p + 2] = source[from + 2 * plane + p];
        }
    }
}
