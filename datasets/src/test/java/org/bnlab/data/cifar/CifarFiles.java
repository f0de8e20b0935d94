package org.bnlab.data.cifar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes tiny CIFAR binary folders in exactly the official layouts: records of label byte(s)
 * followed by a 1,024-byte R plane, G plane and B plane (32x32 row-major each).
 */
public final class CifarFiles {

    private CifarFiles() {
    }

    /** The planar byte written for record {@code r}, channel plane {@code c}, row {@code y}, column {@code x}. */
    public static int planarValue(int r, int c, int y, int x) {
        return (r * 11 + c * 60 + y * 5 + x) & 0xFF;
    }

    /** One record: the given label bytes, then the three planes filled from {@link #planarValue}. */
    public static byte[] record(int r, int... labelBytes) {
        byte[] rec = new byte[labelBytes.length + 3072];
        for (int b = 0; b < labelBytes.length; b++) {
            rec[b] = (byte) labelBytes[b];
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    rec[labelBytes.length + c * 1024 + y * 32 + x] = (byte) planarValue(r, c, y, x);
                }
            }
        }
        return rec;
    }

    public static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    /**
     * A {@code cifar-10-batches-bin} folder: each of the 5 training files holds 2 records, the test
     * file 3; record k of the training set (counting across files) has label {@code k % 10} and
     * pixel pattern {@code k}.
     */
    public static Path writeCifar10(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(CifarBinary.CIFAR10_FOLDER));
        int k = 0;
        for (int file = 1; file <= 5; file++) {
            byte[] content = new byte[2 * 3073];
            for (int j = 0; j < 2; j++, k++) {
                System.arraycopy(record(k, k % 10), 0, content, j * 3073, 3073);
            }
            Files.write(dir.resolve("data_batch_" + file + ".bin"), content);
        }
        byte[] test = new byte[3 * 3073];
        for (int j = 0; j < 3; j++) {
            System.arraycopy(record(100 + j, 9 - j), 0, test, j * 3073, 3073);
        }
        Files.write(dir.resolve("test_batch.bin"), test);
        // The official meta file ends with a blank line.
        Files.writeString(dir.resolve("batches.meta.txt"),
                String.join("\n", List.of("airplane", "automobile", "bird", "cat", "deer",
                        "dog", "frog", "horse", "ship", "truck")) + "\n\n");
        return dir;
    }

    /**
     * A {@code cifar-100-binary} folder: {@code train.bin} has 4 records, record k with coarse
     * label {@code 19 - k} and fine label {@code 50 + k}; {@code test.bin} has 2 records with
     * coarse {@code k} and fine {@code 99 - k}.
     */
    public static Path writeCifar100(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(CifarBinary.CIFAR100_FOLDER));
        byte[] train = new byte[4 * 3074];
        for (int k = 0; k < 4; k++) {
            System.arraycopy(record(k, 19 - k, 50 + k), 0, train, k * 3074, 3074);
        }
        Files.write(dir.resolve("train.bin"), train);
        byte[] test = new byte[2 * 3074];
        for (int k = 0; k < 2; k++) {
            System.arraycopy(record(200 + k, k, 99 - k), 0, test, k * 3074, 3074);
        }
        Files.write(dir.resolve("test.bin"), test);
        Files.write(dir.resolve("fine_label_names.txt"), names("fine", 100));
        Files.write(dir.resolve("coarse_label_names.txt"), names("coarse", 20));
        return dir;
    }
}
