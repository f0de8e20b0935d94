package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bnlab.data.idx.IdxTestFiles;
import org.bnlab.data.idx.MnistFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST and Fashion-MNIST in the catalog: where they are looked for, their size, their augmentation default. */
class DatasetCatalogIdxTest {

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        DatasetCatalog.clearCache();
    }

    @Test
    void mnistIsReadFromTheDataRootOnceAndCached() {
        IdxTestFiles.writeMnistLayout(tmp.resolve("mnist"), 20, 10, true);
        DatasetParts parts = DatasetCatalog.load("mnist", tmp, 28, false);
        assertEquals(20, parts.train().size());
        assertEquals(1, parts.train().channels());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), parts.train().classNames());
        assertEquals("MNIST IDX files at " + tmp.resolve("mnist"), parts.source());
        assertSame(parts, DatasetCatalog.load("mnist", tmp, 28, false));
    }

    @Test
    void fashionMnistFallsBackToTheSystemFolderOnlyWhenTheDataRootHasNone() throws IOException {
        Path debian = tmp.resolve("usr-share-datasets-fashion-mnist");
        IdxTestFiles.writeMnistLayout(debian, 12, 4, true);
        Path root = Files.createDirectories(tmp.resolve("root"));
        DatasetParts system = DatasetCatalog.idx(root, 28, MnistFiles.Kind.FASHION_MNIST, List.of(debian));
        assertEquals("Fashion-MNIST IDX files at " + debian, system.source());
        assertEquals(12, system.train().size());

        // a folder under the data root wins, and an incomplete one is an error rather than a reason to look elsewhere
        IdxTestFiles.writeMnistLayout(root.resolve("fashion-mnist"), 7, 3, false);
        DatasetParts own = DatasetCatalog.idx(root, 28, MnistFiles.Kind.FASHION_MNIST, List.of(debian));
        assertEquals(7, own.train().size());
        DatasetCatalog.clearCache();
        Files.delete(root.resolve("fashion-mnist").resolve("train-labels-idx1-ubyte"));
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetCatalog.idx(root, 28, MnistFiles.Kind.FASHION_MNIST, List.of(debian)));
        assertTrue(e.getMessage().startsWith("incomplete Fashion-MNIST folder " + root.resolve("fashion-mnist")),
                e.getMessage());
    }

    @Test
    void missingEverywhereSaysWhereItLookedAndHowToInstall() {
        Path nowhere = tmp.resolve("nowhere");
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetCatalog.idx(tmp, 28, MnistFiles.Kind.FASHION_MNIST, List.of(nowhere)));
        assertEquals("no Fashion-MNIST data in " + tmp + ": expected fashion-mnist/ with train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz); not in "
                + nowhere + " either (Debian: apt-get install dataset-fashion-mnist); it is not downloaded"
                + " automatically", e.getMessage());
        DatasetException mnist = assertThrows(DatasetException.class,
                () -> DatasetCatalog.load("mnist", tmp.resolve("absent"), 28, true));
        assertTrue(mnist.getMessage().startsWith("no MNIST data in " + tmp.resolve("absent")
                + " (that folder does not exist): expected mnist/"), mnist.getMessage());
    }

    @Test
    void onlyTheNativeSizeIsAccepted() {
        IdxTestFiles.writeMnistLayout(tmp.resolve("mnist"), 3, 3, false);
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCatalog.load("mnist", tmp, 32, false));
        assertEquals("mnist images are 28x28; image size 32 is not supported for it (set data.image_size to 28)",
                e.getMessage());
    }

    @Test
    void augmentationDefaultsFollowTheDataSets() {
        for (String name : List.of("cifar10", "cifar100", "cifar100-coarse", "imagenette", "folder")) {
            assertTrue(DatasetCatalog.augmentsByDefault(name), name);
        }
        assertFalse(DatasetCatalog.augmentsByDefault("mnist"));
        assertFalse(DatasetCatalog.augmentsByDefault("fashion-mnist"));
        assertThrows(DatasetException.class, () -> DatasetCatalog.augmentsByDefault("svhn"));
    }

    /** The real files of Debian's dataset-fashion-mnist, where installed: Xiao et al.'s sizes and balance. */
    @Test
    void debianFashionMnistHasThePublishedSizes() {
        Assumptions.assumeTrue(MnistFiles.isComplete(DatasetCatalog.DEBIAN_FASHION_MNIST),
                "dataset-fashion-mnist is not installed");
        DatasetParts parts = DatasetCatalog.load("fashion-mnist", tmp, 28, false);
        assertEquals("Fashion-MNIST IDX files at " + DatasetCatalog.DEBIAN_FASHION_MNIST, parts.source());
        assertEquals(60_000, parts.train().size());
        assertEquals(10_000, parts.test().size());
        int[] sixThousand = new int[10];
        java.util.Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, parts.train().classCounts());
        ChannelStats stats = ChannelStats.of(parts.train());
        // the commonly quoted normalisation of Fashion-MNIST: mean 0.2860, std 0.3530
        assertEquals(0.2860, stats.mean()[0], 1e-4);
        assertEquals(0.3530, stats.std()[0], 1e-4);
    }
}
