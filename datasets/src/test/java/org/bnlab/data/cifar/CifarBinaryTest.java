package org.bnlab.data.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bnlab.data.DatasetException;
import org.bnlab.data.DatasetParts;
import org.bnlab.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryTest {

    @TempDir
    Path tmp;

    @Test
    void cifar10LabelsNamesAndSizes() throws IOException {
        DatasetParts parts = CifarBinary.readCifar10(CifarFiles.writeCifar10(tmp));
        assertEquals(10, parts.train().size(), "2 records in each of the 5 training files, in file order");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, parts.train().labels());
        assertArrayEquals(new int[] {9, 8, 7}, parts.test().labels());
        assertEquals("airplane", parts.train().classNames().get(0));
        assertEquals("truck", parts.train().classNames().get(9));
        assertEquals(10, parts.test().numClasses());
        assertEquals(32, parts.train().height());
        assertEquals(32, parts.train().width());
        assertTrue(parts.source().contains("CIFAR-10"), parts.source());
    }

    @Test
    void planarPixelsLandAtTheirHwcPositions() throws IOException {
        DatasetParts parts = CifarBinary.readCifar10(CifarFiles.writeCifar10(tmp));
        ImageSet train = parts.train();
        // A few hand-picked spots, then every value of one record.
        assertEquals(CifarFiles.planarValue(7, 2, 31, 0), train.pixel(7, 31, 0, 2));
        assertEquals(CifarFiles.planarValue(3, 0, 5, 17), train.pixel(3, 5, 17, 0));
        int hwcOffset = 7 * 3072 + (31 * 32 + 0) * 3 + 2; // image 7, row 31, col 0, blue
        assertEquals(CifarFiles.planarValue(7, 2, 31, 0), train.pixels()[hwcOffset] & 0xFF);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(CifarFiles.planarValue(101, c, y, x), parts.test().pixel(1, y, x, c));
                }
            }
        }
    }

    @Test
    void cifar100FineAndCoarseLabels() throws IOException {
        Path dir = CifarFiles.writeCifar100(tmp);
        DatasetParts fine = CifarBinary.readCifar100(dir, Cifar100Labels.FINE);
        assertArrayEquals(new int[] {50, 51, 52, 53}, fine.train().labels());
        assertArrayEquals(new int[] {99, 98}, fine.test().labels());
        assertEquals(100, fine.train().numClasses());
        assertEquals("fine51", fine.train().classNames().get(51));

        DatasetParts coarse = CifarBinary.readCifar100(dir, Cifar100Labels.COARSE);
        assertArrayEquals(new int[] {19, 18, 17, 16}, coarse.train().labels());
        assertArrayEquals(new int[] {0, 1}, coarse.test().labels());
        assertEquals(20, coarse.train().numClasses());
        assertEquals("coarse19", coarse.train().classNames().get(19));
        // Two label bytes precede the pixels: the first pixel must not be shifted by them.
        assertEquals(CifarFiles.planarValue(2, 1, 0, 0), coarse.train().pixel(2, 0, 0, 1));
        assertEquals(CifarFiles.planarValue(201, 2, 31, 31), fine.test().pixel(1, 31, 31, 2));
    }

    @Test
    void truncatedFileIsNamedWithItsSize() throws IOException {
        Path dir = CifarFiles.writeCifar10(tmp);
        Path file = dir.resolve("data_batch_3.bin");
        byte[] content = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(content, content.length - 1));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.readCifar10(dir));
        assertEquals("corrupt CIFAR file " + file + ": 6145 bytes is not a whole number of 3073-byte records",
                e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesFileAndRecord() throws IOException {
        Path dir = CifarFiles.writeCifar100(tmp);
        Path file = dir.resolve("test.bin");
        byte[] content = Files.readAllBytes(file);
        content[3074] = 20; // coarse label of record 1: only 0..19 exist
        Files.write(file, content);
        // Checked even when only the fine labels are used.
        DatasetException e = assertThrows(DatasetException.class,
                () -> CifarBinary.readCifar100(dir, Cifar100Labels.FINE));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("record 1 has label 20"), e.getMessage());

        Path dir10 = CifarFiles.writeCifar10(tmp.resolve("ten"));
        Path test10 = dir10.resolve("test_batch.bin");
        byte[] c10 = Files.readAllBytes(test10);
        c10[0] = 10;
        Files.write(test10, c10);
        DatasetException e10 = assertThrows(DatasetException.class, () -> CifarBinary.readCifar10(dir10));
        assertTrue(e10.getMessage().contains(test10.toString()) && e10.getMessage().contains("label 10"),
                e10.getMessage());
    }

    @Test
    void missingFilesAndFoldersAreNamed() throws IOException {
        Path dir = CifarFiles.writeCifar10(tmp);
        Files.delete(dir.resolve("data_batch_5.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.readCifar10(dir));
        assertEquals("missing CIFAR file " + dir.resolve("data_batch_5.bin"), e.getMessage());

        Path dir100 = CifarFiles.writeCifar100(tmp);
        Files.delete(dir100.resolve("coarse_label_names.txt"));
        DatasetException names = assertThrows(DatasetException.class,
                () -> CifarBinary.readCifar100(dir100, Cifar100Labels.FINE));
        assertTrue(names.getMessage().contains("coarse_label_names.txt"), names.getMessage());

        Path nowhere = tmp.resolve("nowhere");
        DatasetException folder = assertThrows(DatasetException.class, () -> CifarBinary.readCifar10(nowhere));
        assertTrue(folder.getMessage().contains(nowhere.toString()), folder.getMessage());
    }

    @Test
    void wrongNumberOfLabelNamesIsRefused() throws IOException {
        Path dir = CifarFiles.writeCifar10(tmp);
        Path meta = dir.resolve("batches.meta.txt");
        Files.write(meta, List.of("airplane", "automobile", "bird"));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.readCifar10(dir));
        assertTrue(e.getMessage().contains(meta.toString()) && e.getMessage().contains("expected 10"), e.getMessage());
    }
}
