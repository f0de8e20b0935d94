package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bnlab.data.cifar.CifarFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        DatasetCatalog.clearCache();
    }

    /** A class-folder tree: for each split, classes "a" and "b" with one 32x32 PNG each. */
    private static void writeFolders(Path root, String... splits) throws IOException {
        for (String split : splits) {
            for (String cls : List.of("a", "b")) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(cls));
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                // A 2x2 block at rows 4-5, columns 2-3: halving the size maps it exactly onto pixel (2,1).
                for (int y = 4; y < 6; y++) {
                    for (int x = 2; x < 4; x++) {
                        image.setRGB(x, y, cls.equals("a") ? 0xFF0000 : 0x00FF00);
                    }
                }
                ImageIO.write(image, "png", dir.resolve("0.png").toFile());
            }
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetCatalog.load("svhn", tmp, 32, false));
        assertEquals("unknown dataset 'svhn'; known: cifar10, cifar100, cifar100-coarse, imagenette, folder, mnist,"
                + " fashion-mnist", e.getMessage());
    }

    @Test
    void missingRootWithoutDownloadNamesTheRoot() {
        Path nowhere = tmp.resolve("nowhere");
        for (String name : List.of("cifar10", "cifar100", "cifar100-coarse", "imagenette", "folder")) {
            DatasetException e = assertThrows(DatasetException.class,
                    () -> DatasetCatalog.load(name, nowhere, 32, false), name);
            assertTrue(e.getMessage().contains(nowhere + " (that folder does not exist)"), e.getMessage());
        }
        DatasetException cifar = assertThrows(DatasetException.class,
                () -> DatasetCatalog.load("cifar10", tmp, 32, false));
        assertTrue(cifar.getMessage().contains("cifar-10-batches-bin/") && cifar.getMessage().contains("disabled"),
                cifar.getMessage());
    }

    @Test
    void cifar10PrefersTheBinaryOverTheJpegFolders() throws IOException {
        writeFolders(tmp.resolve("cifar-10-jpeg"), "train", "test");
        DatasetParts fromJpeg = DatasetCatalog.load("cifar10", tmp, 32, false);
        assertTrue(fromJpeg.source().startsWith("CIFAR-10 JPEG folders at "), fromJpeg.source());
        assertEquals(List.of("a", "b"), fromJpeg.train().classNames());

        CifarFiles.writeCifar10(tmp);
        DatasetParts fromBinary = DatasetCatalog.load("cifar10", tmp, 32, false);
        assertTrue(fromBinary.source().startsWith("CIFAR-10 binary at "), fromBinary.source());
        assertEquals(10, fromBinary.train().size());
        assertEquals(3, fromBinary.test().size());
    }

    @Test
    void decodedDatasetsAreCachedPerProcess() throws IOException {
        CifarFiles.writeCifar10(tmp);
        DatasetParts first = DatasetCatalog.load("cifar10", tmp, 32, false);
        Files.createDirectories(tmp.resolve("x"));
        assertSame(first, DatasetCatalog.load("cifar10", tmp.resolve(".").resolve("x").resolve(".."), 32, false),
                "same folder by another spelling");
        DatasetCatalog.clearCache();
        assertNotSame(first, DatasetCatalog.load("cifar10", tmp, 32, false));
    }

    @Test
    void cifar100FineAndCoarse() throws IOException {
        CifarFiles.writeCifar100(tmp);
        assertEquals(100, DatasetCatalog.load("cifar100", tmp, 32, false).train().numClasses());
        DatasetParts coarse = DatasetCatalog.load("cifar100-coarse", tmp, 32, false);
        assertEquals(20, coarse.train().numClasses());
        assertTrue(coarse.source().contains("coarse"), coarse.source());
    }

    @Test
    void cifarIsOnly32Pixels() throws IOException {
        CifarFiles.writeCifar10(tmp);
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCatalog.load("cifar10", tmp, 64, false));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
        assertThrows(DatasetException.class, () -> DatasetCatalog.load("cifar10", tmp, 0, false));
    }

    @Test
    void folderDatasetUsesTestOrElseVal() throws IOException {
        writeFolders(tmp, "train", "val");
        DatasetParts parts = DatasetCatalog.load("folder", tmp, 16, false);
        assertEquals(16, parts.train().height());
        assertTrue(parts.source().contains("train/val"), parts.source());
        assertEquals(255, parts.test().pixel(0, 2, 1, 0), "red block of class a at rows 4-5, columns 2-3, halved to (2,1)");
    }

    @Test
    void badImagesAreRefusedOrSkippedFromBothSplits() throws IOException {
        writeFolders(tmp, "train", "test");
        Path emptyTrain = Files.write(tmp.resolve("train/b/empty.png"), new byte[0]);
        Path emptyTest = Files.write(tmp.resolve("test/a/empty.jpg"), new byte[0]);
        BadImageException refused = assertThrows(BadImageException.class,
                () -> DatasetCatalog.load("folder", tmp, 32, false));
        assertEquals(emptyTrain, refused.badImage().file());

        DatasetParts parts = DatasetCatalog.load("folder", tmp, 32, false, BadImagePolicy.SKIP);
        assertEquals(2, parts.train().size());
        assertEquals(2, parts.test().size());
        assertEquals(List.of(emptyTrain, emptyTest), parts.problems().skipped().stream().map(BadImage::file).toList());
        // the cache keeps the policies apart: refusing still refuses after a skipping load
        assertThrows(BadImageException.class, () -> DatasetCatalog.load("folder", tmp, 32, false));
        assertTrue(DatasetCatalog.load("folder", tmp, 32, false, BadImagePolicy.SKIP).problems().count() == 2);
    }

    @Test
    void binaryDatasetsHaveNoProblems() throws IOException {
        CifarFiles.writeCifar10(tmp);
        assertTrue(DatasetCatalog.load("cifar10", tmp, 32, false, BadImagePolicy.SKIP).problems().isEmpty());
    }

    @Test
    void imagenetteReadsTrainAndValAtTheRequestedSize() throws IOException {
        writeFolders(tmp.resolve("imagenette2-224"), "train", "val");
        DatasetParts parts = DatasetCatalog.load("imagenette", tmp, 8, false);
        assertEquals(8, parts.test().width());
        assertEquals(2, parts.train().size());
    }

    @Test
    void dataRootResolutionOrder(@TempDir Path work) throws IOException {
        Path cwd = Files.createDirectories(work.resolve("repo"));
        Path flag = work.resolve("flag");
        Map<String, String> env = Map.of(DatasetCatalog.DATA_DIR_ENV, work.resolve("env").toString());

        // 4. nothing given, no ../shared/datasets: data/ in the working directory
        assertEquals(cwd.resolve("data"), DatasetCatalog.resolveDataRoot(null, Map.of(), cwd));
        // 3. ../shared/datasets once it exists
        Path shared = Files.createDirectories(work.resolve("shared/datasets"));
        assertEquals(shared, DatasetCatalog.resolveDataRoot(null, Map.of(), cwd));
        // 2. the environment beats the shared folder (a blank value does not count)
        assertEquals(work.resolve("env"), DatasetCatalog.resolveDataRoot(null, env, cwd));
        assertEquals(shared, DatasetCatalog.resolveDataRoot(null, Map.of(DatasetCatalog.DATA_DIR_ENV, " "), cwd));
        // 1. the flag beats everything
        assertEquals(flag, DatasetCatalog.resolveDataRoot(flag, env, cwd));
    }
}
