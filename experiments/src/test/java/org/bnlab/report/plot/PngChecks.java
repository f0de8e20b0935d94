package org.bnlab.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/** Checks on a written plot: a readable PNG of the promised size with something drawn on it. */
final class PngChecks {

    private PngChecks() {
    }

    /** Asserts {@code png} decodes, is {@code width x height} and has many colours (lines, text, bands). */
    static BufferedImage assertPlot(Path png, int width, int height) throws IOException {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        byte[] head = new byte[signature.length];
        System.arraycopy(Files.readAllBytes(png), 0, head, 0, head.length);
        assertEquals(new String(signature, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(head, java.nio.charset.StandardCharsets.ISO_8859_1), "PNG signature");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "ImageIO could not read " + png);
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y += 2) {
            for (int x = 0; x < width; x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "only " + colours.size() + " colours: nothing drawn?");
        return image;
    }

    /**
     * Asserts that {@code png} is the only file in its folder (no temporary file left behind), is a plot of
     * {@code width x height}, and shows the colours of arms 0..{@code arms - 1}.
     */
    static void assertArmsDrawn(Path png, int width, int height, int arms) throws IOException {
        assertOnly(png.getParent(), png.getFileName().toString());
        BufferedImage image = assertPlot(png, width, height);
        for (int arm = 0; arm < arms; arm++) {
            assertTrue(hasColour(image, PlotStyle.armColor(arm).getRGB()), "arm " + arm + " drawn");
        }
    }

    /** Whether some pixel in the image is close to {@code rgb} (a series colour, say). */
    private static boolean hasColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 12
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 12
                        && Math.abs((p & 0xff) - (rgb & 0xff)) < 12) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Asserts {@code dir} holds exactly {@code names}: no temporary file left behind by the atomic write. */
    static void assertOnly(Path dir, String... names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of(names), new HashSet<>(files.map(p -> p.getFileName().toString()).toList()));
        }
    }

}
