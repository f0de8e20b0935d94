package org.bnlab.data.idx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bnlab.data.DatasetException;
import org.bnlab.data.DatasetParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheFourFilesGzippedOrPlain() {
        for (boolean gzipped : new boolean[] {true, false}) {
            Path folder = tmp.resolve(gzipped ? "gz" : "plain");
            IdxTestFiles.writeMnistLayout(folder, 30, 12, gzipped);
            assertTrue(MnistFiles.isComplete(folder));
            DatasetParts parts = MnistFiles.read(folder, MnistFiles.Kind.FASHION_MNIST);
            assertEquals(30, parts.train().size());
            assertEquals(12, parts.test().size());
            assertEquals(28, parts.train().height());
            assertEquals(1, parts.test().channels());
            assertEquals("Ankle boot", parts.train().classNames().get(9));
            assertEquals(IdxTestFiles.pixel(7, 27, 3), parts.test().pixel(7, 27, 3, 0));
            assertEquals(IdxTestFiles.label(29, 10), parts.train().label(29));
            assertEquals("Fashion-MNIST IDX files at " + folder, parts.source());
        }
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        IdxTestFiles.writeMnistLayout(tmp, 3, 3, true);
        Files.delete(tmp.resolve("t10k-labels-idx1-ubyte.gz"));
        assertFalse(MnistFiles.isComplete(tmp));
        DatasetException e = assertThrows(DatasetException.class, () -> MnistFiles.read(tmp, MnistFiles.Kind.MNIST));
        assertEquals("incomplete MNIST folder " + tmp + ": missing t10k-labels-idx1-ubyte (or"
                + " t10k-labels-idx1-ubyte.gz)", e.getMessage());
    }

    @Test
    void imagesOfAnotherSizeAreRefused() {
        IdxTestFiles.writeMnistLayout(tmp, 3, 3, false);
        IdxTestFiles.write(tmp.resolve("train-images-idx3-ubyte"), IdxTestFiles.images(3, 32, 32));
        DatasetException e = assertThrows(DatasetException.class, () -> MnistFiles.read(tmp, MnistFiles.Kind.MNIST));
        assertEquals("MNIST image file " + tmp.resolve("train-images-idx3-ubyte") + " holds 32x32 images, expected"
                + " 28x28", e.getMessage());
    }
}
