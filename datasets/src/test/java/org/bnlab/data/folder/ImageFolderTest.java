package org.bnlab.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bnlab.data.DatasetException;
import org.bnlab.data.ImageSet;
import org.datavec.image.loader.NativeImageLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageFolderTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int GREYISH = 0x0A141E; // r=10 g=20 b=30

    @TempDir
    Path root;

    /*
     * train/ant/  a.png   8x8 RGB: (0,0) red, (0,1) green, (1,0) blue, rest r10 g20 b30
     *             b.png   16 wide x 8 high: left half red, right half blue (non-square)
     *             c.jpg   16x16 solid r200 g40 b90 (JPEG: colours approximate)
     * train/bee/  gray.png   8x8 grayscale, value 77
     *             big.PNG    64x64 solid green (shrunk to 8)
     *             tiny.png   4x4 solid r1 g2 b3 (enlarged to 8)
     * train/cat/  g.jpeg  8x8 grayscale JPEG, value 128; notes.txt (ignored)
     * train/.hidden/  (ignored)
     */
    @BeforeEach
    void writeTree() throws IOException {
        Path ant = Files.createDirectories(root.resolve("train/ant"));
        Path bee = Files.createDirectories(root.resolve("train/bee"));
        Path cat = Files.createDirectories(root.resolve("train/cat"));
        Files.createDirectories(root.resolve("train/.hidden"));
        Files.writeString(cat.resolve("notes.txt"), "not an image");

        BufferedImage marked = solid(8, 8, GREYISH, BufferedImage.TYPE_INT_RGB);
        marked.setRGB(0, 0, RED);
        marked.setRGB(1, 0, GREEN); // setRGB takes (x, y): column 1, row 0
        marked.setRGB(0, 1, BLUE);
        write(marked, "png", ant.resolve("a.png"));

        BufferedImage wide = solid(16, 8, RED, BufferedImage.TYPE_INT_RGB);
        for (int x = 8; x < 16; x++) {
            for (int y = 0; y < 8; y++) {
                wide.setRGB(x, y, BLUE);
            }
        }
        write(wide, "png", ant.resolve("b.png"));
        write(solid(16, 16, 0xC8285A, BufferedImage.TYPE_INT_RGB), "jpg", ant.resolve("c.jpg"));

        write(solid(8, 8, 0x4D4D4D, BufferedImage.TYPE_BYTE_GRAY), "png", bee.resolve("gray.png"));
        write(solid(64, 64, GREEN, BufferedImage.TYPE_INT_RGB), "png", bee.resolve("big.PNG"));
        write(solid(4, 4, 0x010203, BufferedImage.TYPE_INT_RGB), "png", bee.resolve("tiny.png"));
        write(solid(8, 8, 0x808080, BufferedImage.TYPE_BYTE_GRAY), "jpeg", cat.resolve("g.jpeg"));
    }

    private static BufferedImage solid(int width, int height, int rgb, int type) {
        return ImageFiles.solid(width, height, rgb, type);
    }

    private static void write(BufferedImage image, String format, Path file) {
        ImageFiles.write(file, image, format);
    }

    private static int[] rgbAt(ImageSet set, int i, int y, int x) {
        return new int[] {set.pixel(i, y, x, 0), set.pixel(i, y, x, 1), set.pixel(i, y, x, 2)};
    }

    @Test
    void classesAreSortedFolderNamesAndFilesAreReadInNameOrder() {
        ImageSet set = ImageFolder.read(root, "train", 8);
        assertEquals(List.of("ant", "bee", "cat"), set.classNames());
        // ant: a.png b.png c.jpg; bee: big.PNG gray.png tiny.png; cat: g.jpeg
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2}, set.labels());
        assertEquals(8, set.height());
        assertEquals(8, set.width());
    }

    @Test
    void pngColoursArriveExactlyInRgbOrder() {
        ImageSet set = ImageFolder.read(root, "train", 8);
        assertArrayEquals(new int[] {255, 0, 0}, rgbAt(set, 0, 0, 0), "red pixel: a BGR/RGB swap would give 0,0,255");
        assertArrayEquals(new int[] {0, 255, 0}, rgbAt(set, 0, 0, 1), "green at row 0, column 1");
        assertArrayEquals(new int[] {0, 0, 255}, rgbAt(set, 0, 1, 0), "blue at row 1, column 0");
        assertArrayEquals(new int[] {10, 20, 30}, rgbAt(set, 0, 5, 6));
    }

    @Test
    void jpegColoursAreCloseAndNotSwapped() {
        ImageSet set = ImageFolder.read(root, "train", 8);
        int[] rgb = rgbAt(set, 2, 4, 4); // c.jpg, shrunk from 16 to 8
        assertEquals(200, rgb[0], 8);
        assertEquals(40, rgb[1], 8);
        assertEquals(90, rgb[2], 8);
    }

    @Test
    void resizingShrinksEnlargesAndSquashesNonSquareImages() {
        ImageSet set = ImageFolder.read(root, "train", 8);
        // b.png: 16x8 squashed to 8x8, left half red, right half blue.
        for (int y = 0; y < 8; y++) {
            assertArrayEquals(new int[] {255, 0, 0}, rgbAt(set, 1, y, 0));
            assertArrayEquals(new int[] {255, 0, 0}, rgbAt(set, 1, y, 3));
            assertArrayEquals(new int[] {0, 0, 255}, rgbAt(set, 1, y, 4));
            assertArrayEquals(new int[] {0, 0, 255}, rgbAt(set, 1, y, 7));
        }
        assertArrayEquals(new int[] {0, 255, 0}, rgbAt(set, 3, 7, 7), "big.PNG 64x64 shrunk to 8x8");
        assertArrayEquals(new int[] {1, 2, 3}, rgbAt(set, 5, 6, 2), "tiny.png 4x4 enlarged to 8x8");

        ImageSet sixteen = ImageFolder.read(root, "train", 16);
        assertEquals(16, sixteen.height());
        assertArrayEquals(new int[] {0, 0, 255}, rgbAt(sixteen, 1, 3, 15), "b.png 16x8 stretched to 16x16");
    }

    @Test
    void grayscaleBecomesThreeEqualChannels() {
        ImageSet set = ImageFolder.read(root, "train", 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertArrayEquals(new int[] {77, 77, 77}, rgbAt(set, 4, y, x));
            }
        }
        int[] jpegGray = rgbAt(set, 6, 3, 3);
        assertEquals(jpegGray[0], jpegGray[1]);
        assertEquals(jpegGray[1], jpegGray[2]);
        assertEquals(128, jpegGray[0], 3);
    }

    /** Pins down why the decoder swaps channels: DataVec's own loader yields OpenCV's BGR order. */
    @Test
    void agreesWithNativeImageLoaderUpToItsBgrChannelOrder() throws IOException {
        ImageSet set = ImageFolder.read(root, "train", 8);
        INDArray bgr = new NativeImageLoader(8, 8, 3).asMatrix(root.resolve("train/ant/a.png").toFile()); // [1,3,8,8]
        assertEquals(0, bgr.getInt(0, 0, 0, 0), "NativeImageLoader channel 0 of a red pixel is blue");
        assertEquals(255, bgr.getInt(0, 2, 0, 0));
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(bgr.getInt(0, 2 - c, y, x), set.pixel(0, y, x, c));
                }
            }
        }
    }

    @Test
    void unreadableImageIsNamed() throws IOException {
        Path broken = root.resolve("train/cat/broken.jpg");
        Files.write(broken, new byte[] {1, 2, 3, 4, 5});
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.read(root, "train", 8));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }

    @Test
    void missingSplitOrEmptyClassIsNamed() throws IOException {
        DatasetException missing = assertThrows(DatasetException.class, () -> ImageFolder.read(root, "test", 8));
        assertTrue(missing.getMessage().contains(root.resolve("test").toString()), missing.getMessage());
        Path empty = Files.createDirectories(root.resolve("train/dog"));
        DatasetException noImages = assertThrows(DatasetException.class, () -> ImageFolder.read(root, "train", 8));
        assertTrue(noImages.getMessage().contains(empty.toString()), noImages.getMessage());
        assertThrows(DatasetException.class, () -> ImageFolder.read(root, "train", 0));
    }
}
