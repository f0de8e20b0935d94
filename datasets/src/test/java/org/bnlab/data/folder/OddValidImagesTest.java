package org.bnlab.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.bnlab.data.BadImagePolicy;
import org.bnlab.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that look unusual but are valid, as real image folders hold them: each must load with the right pixels
 * under the strict checks, and nothing may be reported as skipped.
 */
class OddValidImagesTest {

    @TempDir
    Path root;

    /** Reads {@code train/} (one class {@code c}) at 4x4 and checks nothing was skipped. */
    private ImageSet read() {
        ImageFolder.Contents contents = ImageFolder.read(root, "train", 4, BadImagePolicy.SKIP);
        assertEquals(List.of(), contents.skipped().skipped());
        return contents.images();
    }

    private Path file(String name) {
        return root.resolve("train/c/" + name);
    }

    private static int[] rgb(ImageSet set, int i) {
        return new int[] {set.pixel(i, 2, 2, 0), set.pixel(i, 2, 2, 1), set.pixel(i, 2, 2, 2)};
    }

    private static void assertClose(int[] expected, int[] actual, int tolerance) {
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], actual[c], tolerance, "channel " + c + " of " + java.util.Arrays.toString(actual));
        }
    }

    /** Adobe stores CMYK inverted (255 = no ink); libjpeg and OpenCV read it so: red is C0 M100 Y100 K0. */
    @Test
    void cmykJpeg() {
        ImageFiles.write(file("a-red.jpg"), ImageFiles.cmykJpeg(8, 8, new int[] {255, 0, 0, 255}));
        ImageFiles.write(file("b-gray.jpg"), ImageFiles.cmykJpeg(8, 8, new int[] {255, 255, 255, 128}));
        ImageSet set = read();
        assertClose(new int[] {255, 0, 0}, rgb(set, 0), 4);
        assertClose(new int[] {128, 128, 128}, rgb(set, 1), 4);
    }

    @Test
    void progressiveJpeg() {
        ImageFiles.write(file("p.jpg"), ImageFiles.progressiveJpeg(ImageFiles.solid(8, 8, 0xC8285A,
                BufferedImage.TYPE_INT_RGB)));
        assertClose(new int[] {200, 40, 90}, rgb(read(), 0), 8);
    }

    @Test
    void sixteenBitPngs() {
        ImageFiles.write(file("gray16.png"), ImageFiles.png(ImageFiles.solid(4, 4, 0, BufferedImage.TYPE_USHORT_GRAY)));
        ImageFiles.write(file("rgb16.png"), ImageFiles.png(ImageFiles.rgb16(4, 4, 65535, 32896, 0)));
        ImageSet set = read();
        assertArrayEquals(new int[] {0, 0, 0}, rgb(set, 0));
        assertArrayEquals(new int[] {255, 128, 0}, rgb(set, 1), "16-bit samples scaled to 8 bits (x / 257)");
    }

    @Test
    void grayRgbaPaletteAndInterlacedPngs() {
        ImageFiles.write(file("a-gray.png"), ImageFiles.png(ImageFiles.solid(4, 4, 77, BufferedImage.TYPE_BYTE_GRAY)));
        ImageFiles.write(file("b-rgba.png"),
                ImageFiles.png(ImageFiles.solid(4, 4, 0x80102030, BufferedImage.TYPE_INT_ARGB)));
        ImageFiles.write(file("c-palette.png"),
                ImageFiles.png(ImageFiles.solid(4, 4, 0xFF0000, BufferedImage.TYPE_BYTE_INDEXED)));
        ImageFiles.write(file("d-interlaced.png"),
                ImageFiles.interlacedPng(ImageFiles.solid(9, 9, 0x0A141E, BufferedImage.TYPE_INT_RGB)));
        ImageSet set = read();
        assertArrayEquals(new int[] {77, 77, 77}, rgb(set, 0), "gray: three equal channels");
        assertArrayEquals(new int[] {0x10, 0x20, 0x30}, rgb(set, 1), "RGBA: alpha dropped, colour kept");
        assertArrayEquals(new int[] {255, 0, 0}, rgb(set, 2), "palette");
        assertArrayEquals(new int[] {10, 20, 30}, rgb(set, 3), "Adam7 interlaced");
    }

    /** Upper-case extensions count; hidden files (macOS's .DS_Store and ._x.jpg) are not read at all. */
    @Test
    void upperCaseExtensionsCountAndHiddenFilesAreIgnored() {
        ImageFiles.write(file("A.JPG"), ImageFiles.jpeg(ImageFiles.solid(4, 4, 0x00FF00, BufferedImage.TYPE_INT_RGB)));
        ImageFiles.write(file("B.PNG"), ImageFiles.png(ImageFiles.solid(4, 4, 0x0000FF, BufferedImage.TYPE_INT_RGB)));
        ImageFiles.write(file("C.Jpeg"), ImageFiles.jpeg(ImageFiles.solid(4, 4, 0xFF0000, BufferedImage.TYPE_INT_RGB)));
        ImageFiles.write(file(".DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
        ImageFiles.write(file("._A.JPG"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0}); // AppleDouble: not a JPEG
        ImageFiles.write(root.resolve("train/.Trashes/x.png"), new byte[0]);
        ImageSet set = read();
        assertEquals(List.of("c"), set.classNames());
        assertEquals(3, set.size());
        assertClose(new int[] {0, 255, 0}, rgb(set, 0), 4);
        assertArrayEquals(new int[] {0, 0, 255}, rgb(set, 1));
        assertClose(new int[] {255, 0, 0}, rgb(set, 2), 4);
    }
}
