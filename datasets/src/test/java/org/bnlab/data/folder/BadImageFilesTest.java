package org.bnlab.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bnlab.data.BadImage;
import org.bnlab.data.BadImageException;
import org.bnlab.data.BadImagePolicy;
import org.bnlab.data.DatasetException;
import org.bnlab.data.ImageSet;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files in a class folder: refused with one message naming the file, or, when asked, skipped and listed. */
class BadImageFilesTest {

    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    @TempDir
    Path root;

    /** train/a: a0.png a1.png (red); train/b: b0.png b1.png (blue). Bad files are added per test. */
    @BeforeEach
    void writeTree() {
        for (String name : List.of("a0", "a1")) {
            ImageFiles.write(root.resolve("train/a/" + name + ".png"), ImageFiles.png(solid(RED)));
        }
        for (String name : List.of("b0", "b1")) {
            ImageFiles.write(root.resolve("train/b/" + name + ".png"), ImageFiles.png(solid(BLUE)));
        }
    }

    private static BufferedImage solid(int rgb) {
        return ImageFiles.solid(8, 8, rgb, BufferedImage.TYPE_INT_RGB);
    }

    private BadImageException refused() {
        return assertThrows(BadImageException.class, () -> ImageFolder.read(root, "train", 8));
    }

    @Test
    void emptyFileIsNamedAsEmpty() {
        Path empty = ImageFiles.write(root.resolve("train/b/empty.jpg"), new byte[0]);
        BadImageException e = refused();
        assertEquals("image " + empty + " is empty (0 bytes)", e.getMessage());
        assertEquals(new BadImage(empty, "is empty (0 bytes)"), e.badImage());
    }

    /** libjpeg fills the missing half with gray and OpenCV calls that a success; the check must not. */
    @Test
    void firstHalfOfAJpegIsRefusedThoughOpenCvWouldDecodeIt() {
        byte[] jpeg = ImageFiles.jpeg(ImageFiles.noise(64, 64, 11));
        byte[] half = ImageFiles.cut(jpeg, jpeg.length / 2);
        Mat decoded = imdecode(new Mat(half), IMREAD_COLOR);
        assertFalse(decoded == null || decoded.empty(), "OpenCV alone decodes the truncated file");
        assertEquals(64, decoded.rows());

        Path truncated = ImageFiles.write(root.resolve("train/a/half.jpg"), half);
        assertEquals("image " + truncated + " is truncated: its data stops before the end-of-image marker "
                + "(an interrupted copy or download?)", refused().getMessage());
    }

    @Test
    void pngWithATruncatedImageDataChunkIsRefused() {
        byte[] png = ImageFiles.png(ImageFiles.noise(32, 32, 3));
        Path truncated = ImageFiles.write(root.resolve("train/a/cut.png"), ImageFiles.cut(png, png.length - 100));
        String message = refused().getMessage();
        assertTrue(message.startsWith("image " + truncated + " is truncated: its data stops inside the IDAT chunk"),
                message);
    }

    @Test
    void textWithAnImageExtensionIsRefused() {
        Path text = ImageFiles.write(root.resolve("train/a/page.jpg"),
                "<html>404 Not Found</html>".getBytes(StandardCharsets.US_ASCII));
        assertEquals("image " + text + " is not a JPEG or PNG file: it begins with the text \"<html>40\"",
                refused().getMessage());
    }

    /** The first in reading order is named, whatever the parallel decode finished first, and the rest counted. */
    @Test
    void severalBadFilesNameTheFirstAndCountTheRest() {
        Path first = ImageFiles.write(root.resolve("train/a/a00.png"), new byte[0]);
        ImageFiles.write(root.resolve("train/b/zz.png"), new byte[0]);
        ImageFiles.write(root.resolve("train/b/b05.jpg"), new byte[] {1, 2, 3});
        assertEquals("image " + first + " is empty (0 bytes) (and 2 more bad image files under "
                + root.resolve("train") + ")", refused().getMessage());
    }

    @Test
    void skippingLeavesBadFilesOutAndListsThemInReadingOrder() {
        Path emptyA = ImageFiles.write(root.resolve("train/a/a00.jpg"), new byte[0]);
        byte[] jpeg = ImageFiles.jpeg(ImageFiles.noise(64, 64, 1));
        Path halfB = ImageFiles.write(root.resolve("train/b/b00.jpg"), ImageFiles.cut(jpeg, jpeg.length / 2));

        ImageFolder.Contents contents = ImageFolder.read(root, "train", 8, BadImagePolicy.SKIP);
        ImageSet images = contents.images();
        assertArrayEquals(new int[] {0, 0, 1, 1}, images.labels());
        assertEquals(List.of("a", "b"), images.classNames());
        for (int i = 0; i < 4; i++) { // no image slid into a skipped one's place
            int expected = i < 2 ? RED : BLUE;
            assertArrayEquals(new int[] {expected >> 16 & 0xFF, expected >> 8 & 0xFF, expected & 0xFF},
                    new int[] {images.pixel(i, 3, 3, 0), images.pixel(i, 3, 3, 1), images.pixel(i, 3, 3, 2)});
        }
        List<BadImage> skipped = contents.skipped().skipped();
        assertEquals(List.of(emptyA, halfB), skipped.stream().map(BadImage::file).toList());
        assertEquals("is empty (0 bytes)", skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().startsWith("is truncated"), skipped.get(1).reason());
    }

    @Test
    void cleanFolderSkipsNothing() {
        ImageFolder.Contents contents = ImageFolder.read(root, "train", 8, BadImagePolicy.SKIP);
        assertEquals(4, contents.images().size());
        assertTrue(contents.skipped().isEmpty());
    }

    @Test
    void classWithOnlyBadFilesStopsEvenWhenSkipping() throws Exception {
        Files.delete(root.resolve("train/b/b0.png"));
        Files.write(root.resolve("train/b/b1.png"), new byte[0]);
        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageFolder.read(root, "train", 8, BadImagePolicy.SKIP));
        assertEquals("class folder " + root.resolve("train/b") + " holds no usable images: all of its image files "
                + "are bad (the first: image " + root.resolve("train/b/b1.png") + " is empty (0 bytes))", e.getMessage());
    }
}
