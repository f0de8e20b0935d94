package org.bnlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ShiftTest {

    /** 6 images of 16x16 RGB with random pixels in 40..215 (room to move either way). */
    private static ImageSet images() {
        Random random = new Random(7);
        byte[] pixels = new byte[6 * 16 * 16 * 3];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (40 + random.nextInt(176));
        }
        return new ImageSet(pixels, new int[]{0, 1, 0, 1, 0, 1}, 16, 16, TestImages.classNames(2));
    }

    private static double meanAbsoluteChange(ImageSet a, ImageSet b) {
        double sum = 0;
        for (int k = 0; k < a.pixels().length; k++) {
            sum += Math.abs((a.pixels()[k] & 0xFF) - (b.pixels()[k] & 0xFF));
        }
        return sum / a.pixels().length;
    }

    @ParameterizedTest
    @EnumSource(Shift.class)
    void sameSeedGivesTheSameBytesAndLeavesTheSourceAlone(Shift shift) {
        ImageSet source = images();
        byte[] before = source.pixels().clone();
        ImageSet a = shift.apply(source, 3, 11);
        ImageSet b = shift.apply(source, 3, 11);
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(before, source.pixels());
        assertArrayEquals(source.labels(), a.labels());
        assertFalse(Arrays.equals(source.pixels(), a.pixels()), "the shift changes the images");
    }

    @Test
    void otherSeedGivesOtherNoiseWhileTheDeterministicShiftsIgnoreIt() {
        ImageSet source = images();
        assertFalse(Arrays.equals(Shift.GAUSSIAN_NOISE.apply(source, 3, 1).pixels(),
                Shift.GAUSSIAN_NOISE.apply(source, 3, 2).pixels()));
        for (Shift s : new Shift[]{Shift.BRIGHTNESS, Shift.CONTRAST, Shift.GAUSSIAN_BLUR}) {
            assertArrayEquals(s.apply(source, 3, 1).pixels(), s.apply(source, 3, 2).pixels(), s.id());
        }
        // an image's noise does not depend on which other images are shifted with it
        ImageSet first = source.select(new int[]{0});
        byte[] alone = Shift.GAUSSIAN_NOISE.apply(first, 2, 5).pixels();
        byte[] inSet = Arrays.copyOf(Shift.GAUSSIAN_NOISE.apply(source, 2, 5).pixels(), alone.length);
        assertArrayEquals(alone, inSet);
    }

    @ParameterizedTest
    @EnumSource(Shift.class)
    void strongerSeverityChangesTheImagesMore(Shift shift) {
        ImageSet source = images();
        double previous = 0;
        for (int severity = 1; severity <= 5; severity++) {
            double change = meanAbsoluteChange(source, shift.apply(source, severity, 3));
            assertTrue(change > previous, shift.id() + " severity " + severity + ": " + change + " <= " + previous);
            previous = change;
        }
    }

    @Test
    void shiftsDoWhatTheirNamesSay() {
        ImageSet source = images();
        double mean = mean(source);
        // brightness adds c to the HSV value (the largest channel) and keeps hue and saturation:
        // (100, 50, 20) has v = .392, s = .8; with c = .3: v = .692 -> 176.5, min v(1 - s) -> 35.3, g -> 88.2
        ImageSet one = new ImageSet(new byte[]{100, 50, 20}, new int[]{0}, 1, 1, TestImages.classNames(1));
        byte[] bright = Shift.BRIGHTNESS.apply(one, 3, 0).pixels();
        assertEquals(176.5, bright[0] & 0xFF, 0.6);
        assertEquals(88.2, bright[1] & 0xFF, 0.6);
        assertEquals(35.3, bright[2] & 0xFF, 0.6);
        assertEquals(mean, mean(Shift.CONTRAST.apply(source, 5, 0)), 1.0, "contrast keeps the mean");
        assertEquals(mean, mean(Shift.GAUSSIAN_BLUR.apply(source, 5, 0)), 1.0, "blur keeps the mean");
        // noise of sigma 0.1: the mean absolute change is sigma * sqrt(2/pi) * 255 = 20.3 before rounding
        assertEquals(20.3, meanAbsoluteChange(source, Shift.GAUSSIAN_NOISE.apply(source, 5, 0)), 1.0);
        // a gray pixel stays gray under brightness
        ImageSet gray = new ImageSet(new byte[]{100, 100, 100}, new int[]{0}, 1, 1, TestImages.classNames(1));
        byte[] p = Shift.BRIGHTNESS.apply(gray, 1, 0).pixels();
        assertArrayEquals(new byte[]{(byte) 126, (byte) 126, (byte) 126}, p);
        assertThrows(DatasetException.class, () -> Shift.GAUSSIAN_BLUR.constant(6));
    }

    private static double mean(ImageSet images) {
        double sum = 0;
        for (byte b : images.pixels()) {
            sum += b & 0xFF;
        }
        return sum / images.pixels().length;
    }
}
