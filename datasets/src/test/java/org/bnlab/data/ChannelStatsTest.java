package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChannelStatsTest {

    @Test
    void knownMeansAndPopulationStds() {
        // Two 1x2 images. R: 0, 255, 0, 255 -> mean 0.5, std 0.5.
        // G: constant 51 -> mean 0.2, std 0 would be refused, so vary it: 51, 51, 153, 153 -> mean 0.4, std 0.2.
        // B: 0, 0, 0, 255 -> mean 0.25, population std sqrt(3)/4.
        byte[] pixels = {
            0, 51, 0, (byte) 255, 51, 0,
            0, (byte) 153, 0, (byte) 255, (byte) 153, (byte) 255,
        };
        ImageSet set = new ImageSet(pixels, new int[] {0, 0}, 1, 2, TestImages.classNames(1));
        ChannelStats stats = ChannelStats.of(set);
        assertArrayEquals(new float[] {0.5f, 0.4f, 0.25f}, stats.mean(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.2f, (float) (Math.sqrt(3) / 4)}, stats.std(), 1e-6f);
    }

    @Test
    void constantChannelIsRefused() {
        ImageSet flat = new ImageSet(new byte[6], new int[] {0, 0}, 1, 1, TestImages.classNames(1));
        assertThrows(DatasetException.class, () -> ChannelStats.of(flat));
    }

    @Test
    void accessorsReturnCopies() {
        ChannelStats stats = ChannelStats.identity();
        stats.mean()[0] = 99;
        assertEquals(0f, stats.mean()[0]);
    }
}
