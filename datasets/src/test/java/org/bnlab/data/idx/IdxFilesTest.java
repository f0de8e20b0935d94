package org.bnlab.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bnlab.data.DatasetException;
import org.bnlab.data.ImageSet;
import org.bnlab.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

    @TempDir
    Path tmp;

    @Test
    void readsPlainAndGzippedImagesAlike() {
        byte[] content = IdxTestFiles.images(5, 3, 4);
        Path plain = IdxTestFiles.write(tmp.resolve("images"), content);
        // the name does not decide: a gzipped file without .gz and ...
        Path zipped = IdxTestFiles.write(tmp.resolve("images-zipped"), IdxTestFiles.gzip(content));
        for (Path file : List.of(plain, zipped)) {
            IdxFiles.Images images = IdxFiles.readImages(file);
            assertEquals(5, images.count());
            assertEquals(3, images.rows());
            assertEquals(4, images.columns());
            assertEquals(60, images.pixels().length);
            // row-major: image 4, row 2, column 1
            assertEquals(IdxTestFiles.pixel(4, 2, 1), images.pixels()[4 * 12 + 2 * 4 + 1] & 0xFF);
        }
        assertArrayEquals(IdxFiles.readImages(plain).pixels(), IdxFiles.readImages(zipped).pixels());
    }

    @Test
    void readsLabelsAsUnsignedBytes() {
        byte[] content = IdxTestFiles.labels(4, 10);
        content[8 + 3] = (byte) 200; // above 127: unsigned
        int[] labels = IdxFiles.readLabels(IdxTestFiles.write(tmp.resolve("labels.gz"), IdxTestFiles.gzip(content)));
        assertArrayEquals(new int[] {3, 0, 7, 200}, labels);
    }

    @Test
    void readBuildsAGrayscaleImageSet() {
        Path images = IdxTestFiles.write(tmp.resolve("i"), IdxTestFiles.images(6, 2, 3));
        Path labels = IdxTestFiles.write(tmp.resolve("l"), IdxTestFiles.labels(6, 4));
        ImageSet set = IdxFiles.read(images, labels, TestImages.classNames(4));
        assertEquals(6, set.size());
        assertEquals(1, set.channels());
        assertEquals(2, set.height());
        assertEquals(3, set.width());
        assertEquals(IdxTestFiles.pixel(5, 1, 2), set.pixel(5, 1, 2, 0));
        assertEquals(IdxTestFiles.label(5, 4), set.label(5));
        assertEquals("6 images 2x3 grayscale, 4 classes, 1..2 per class", set.describe());
    }

    @Test
    void truncatedDataNamesTheFileAndTheSizes() {
        byte[] content = IdxTestFiles.images(3, 4, 4);
        Path file = IdxTestFiles.write(tmp.resolve("short"), Arrays.copyOf(content, content.length - 1));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.readImages(file));
        assertEquals("truncated IDX file " + file + ": its header announces 3 images of 4x4 (48 bytes of data)"
                + " but only 47 bytes follow", e.getMessage());
    }

    @Test
    void truncatedHeaderAndEmptyFilesAreRefused() {
        Path empty = IdxTestFiles.write(tmp.resolve("empty"), new byte[0]);
        assertMessage(() -> IdxFiles.readImages(empty), "truncated IDX file " + empty, "magic number");
        Path header = IdxTestFiles.write(tmp.resolve("header"),
                Arrays.copyOf(IdxTestFiles.images(3, 4, 4), 10));
        assertMessage(() -> IdxFiles.readImages(header), "truncated IDX file " + header, "16-byte header");
    }

    @Test
    void extraBytesAfterTheDataAreRefused() {
        byte[] content = IdxTestFiles.labels(5, 10);
        Path file = IdxTestFiles.write(tmp.resolve("long"), Arrays.copyOf(content, content.length + 3));
        assertMessage(() -> IdxFiles.readLabels(file), "IDX file " + file + " is longer than its header says",
                "5 labels take 5 bytes but 8 bytes follow");
    }

    @Test
    void wrongMagicNumbersSayWhatWasExpected() {
        Path labels = IdxTestFiles.write(tmp.resolve("labels"), IdxTestFiles.labels(5, 10));
        // a label file where images belong: right type, wrong number of dimensions
        assertMessage(() -> IdxFiles.readImages(labels), "IDX file " + labels + " has magic number 0x00000801",
                "expected 0x00000803 (images: unsigned bytes, 3 dimensions)");
        // floats (type 0x0d) are not read
        byte[] floats = IdxTestFiles.labels(5, 10);
        floats[2] = 0x0d;
        Path floatFile = IdxTestFiles.write(tmp.resolve("floats"), floats);
        assertMessage(() -> IdxFiles.readLabels(floatFile), "element type 0x0d", "expected 0x00000801");
        // not IDX at all
        Path text = IdxTestFiles.write(tmp.resolve("text"), "hello, world".getBytes());
        assertMessage(() -> IdxFiles.readLabels(text), text + " is not an IDX file: it starts with 0x68656c6c");
    }

    @Test
    void garbledSizesAreRefusedWithoutAllocatingThem() {
        // 2^31 - 1 images of 2^16 x 2^16 pixels: refused as truncated, not an OutOfMemoryError
        byte[] header = ByteBuffer.allocate(16 + 10).putInt(IdxFiles.IMAGES_MAGIC).putInt(Integer.MAX_VALUE)
                .putInt(1 << 16).putInt(1 << 16).array();
        Path huge = IdxTestFiles.write(tmp.resolve("huge"), header);
        assertMessage(() -> IdxFiles.readImages(huge), "truncated IDX file " + huge, "only 10 bytes follow");
        // a negative size (top bit set)
        byte[] negative = ByteBuffer.allocate(8).putInt(IdxFiles.LABELS_MAGIC).putInt(-5).array();
        Path file = IdxTestFiles.write(tmp.resolve("negative"), negative);
        assertMessage(() -> IdxFiles.readLabels(file), "announces dimension 1 of size 4294967291");
        // zero-sized images
        Path flat = IdxTestFiles.write(tmp.resolve("flat"), IdxTestFiles.images(0, 0, 5));
        assertMessage(() -> IdxFiles.readImages(flat), "announces images of 0x5 pixels");
    }

    @Test
    void corruptOrTruncatedGzipNamesTheFile() {
        byte[] zipped = IdxTestFiles.gzip(IdxTestFiles.images(20, 8, 8));
        Path cut = IdxTestFiles.write(tmp.resolve("cut.gz"), Arrays.copyOf(zipped, zipped.length / 2));
        assertMessage(() -> IdxFiles.readImages(cut), "corrupt or truncated gzip file " + cut);
        byte[] garbled = zipped.clone();
        for (int i = 12; i < garbled.length - 8; i++) {
            garbled[i] ^= 0x5a;
        }
        Path bad = IdxTestFiles.write(tmp.resolve("bad.gz"), garbled);
        assertMessage(() -> IdxFiles.readImages(bad), "gzip file " + bad);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("nothing-here");
        assertMessage(() -> IdxFiles.readImages(missing), "missing IDX file " + missing);
    }

    @Test
    void imagesAndLabelsMustAgree() {
        Path images = IdxTestFiles.write(tmp.resolve("i"), IdxTestFiles.images(6, 2, 2));
        Path labels = IdxTestFiles.write(tmp.resolve("l"), IdxTestFiles.labels(5, 10));
        assertMessage(() -> IdxFiles.read(images, labels, TestImages.classNames(10)),
                "IDX files do not match: " + images + " has 6 images but " + labels + " has 5 labels");
        Path sixLabels = IdxTestFiles.write(tmp.resolve("l6"), IdxTestFiles.labels(6, 10));
        // labels 3, 0, 7, 4, 1, 8 with only 5 classes
        assertMessage(() -> IdxFiles.read(images, sixLabels, TestImages.classNames(5)),
                "IDX label file " + sixLabels + ": label 7 of item 2 is outside 0..4");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        DatasetException e = assertThrows(DatasetException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
