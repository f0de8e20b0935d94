package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** One-channel images (MNIST, Fashion-MNIST) through ImageSet, ChannelStats and BatchIterator. */
class GrayscaleImagesTest {

    /** {@code count} images of side x side, one channel, pixel value from {@link TestImages#value} channel 0. */
    static ImageSet gray(int count, int side, int classes) {
        byte[] pixels = new byte[count * side * side];
        int[] labels = new int[count];
        int p = 0;
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    pixels[p++] = (byte) TestImages.value(i, y, x, 0);
                }
            }
        }
        return new ImageSet(pixels, labels, side, side, ImageSet.GRAYSCALE, TestImages.classNames(classes));
    }

    @Test
    void imageSetKeepsOneBytePerPixel() {
        ImageSet set = gray(6, 5, 3);
        assertEquals(1, set.channels());
        assertEquals(25, set.imageBytes());
        assertEquals(TestImages.value(4, 3, 2, 0), set.pixel(4, 3, 2, 0));
        ImageSet subset = set.firstPerClass(1);
        assertEquals(1, subset.channels());
        assertEquals(TestImages.value(2, 1, 1, 0), subset.pixel(2, 1, 1, 0));
        assertEquals("6 images 5x5 grayscale, 3 classes, 2 per class", set.describe());
        DatasetException wrong = assertThrows(DatasetException.class,
                () -> new ImageSet(new byte[12], new int[] {0}, 2, 2, 1, TestImages.classNames(1)));
        assertEquals("pixel array holds 12 bytes, expected 4 for 1 images of 2x2x1", wrong.getMessage());
        assertThrows(DatasetException.class,
                () -> new ImageSet(new byte[0], new int[0], 2, 2, 0, TestImages.classNames(1)));
    }

    @Test
    void channelStatsHaveOneValue() {
        // pixels 0, 255, 0, 255: mean 0.5, std 0.5
        ImageSet set = new ImageSet(new byte[] {0, (byte) 255, 0, (byte) 255}, new int[] {0, 0}, 1, 2, 1,
                TestImages.classNames(1));
        ChannelStats stats = ChannelStats.of(set);
        assertEquals(1, stats.channels());
        assertArrayEquals(new float[] {0.5f}, stats.mean());
        assertArrayEquals(new float[] {0.5f}, stats.std());
        assertEquals(1, ChannelStats.identity(1).channels());
        DatasetException e = assertThrows(DatasetException.class,
                () -> new ChannelStats(new float[] {0.5f}, new float[] {0.5f, 0.5f}));
        assertTrue(e.getMessage().contains("one mean and one standard deviation per channel, got 1 and 2"),
                e.getMessage());
    }

    @Test
    void batchesHaveOneChannelInBothLayoutsWithTheSameValues() {
        ImageSet set = gray(7, 4, 2);
        ChannelStats stats = new ChannelStats(new float[] {0.3f}, new float[] {0.2f});
        try (BatchIterator nchw = new BatchIterator(set, 7, stats, false, false, 1L, Layout.NCHW);
             BatchIterator nhwc = new BatchIterator(set, 7, stats, false, false, 1L, Layout.NHWC)) {
            INDArray a = nchw.next().getFeatures();
            INDArray b = nhwc.next().getFeatures();
            assertArrayEquals(new long[] {7, 1, 4, 4}, a.shape());
            assertArrayEquals(new long[] {7, 4, 4, 1}, b.shape());
            assertEquals(16, nchw.inputColumns());
            for (int i = 0; i < 7; i++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        float want = (float) ((TestImages.value(i, y, x, 0) / 255.0 - 0.3f) / 0.2f);
                        assertEquals(want, a.getFloat(i, 0, y, x), 0f);
                        assertEquals(want, b.getFloat(i, y, x, 0), 0f);
                    }
                }
            }
            // with one channel the two layouts are the same numbers in the same order
            assertArrayEquals(a.data().asFloat(), b.data().asFloat(), 0f);
        }
    }

    @Test
    void augmentationPadsWithBlackAndFlipsOneChannel() {
        ImageSet set = gray(40, 6, 2);
        ChannelStats stats = ChannelStats.identity(1);
        try (BatchIterator plain = new BatchIterator(set, 40, stats, false, false, 3L, Layout.NHWC);
             BatchIterator augmented = new BatchIterator(set, 40, stats, true, false, 3L, Layout.NHWC)) {
            DataSet original = plain.next();
            DataSet changed = augmented.next();
            assertArrayEquals(original.getFeatures().shape(), changed.getFeatures().shape());
            int differing = 0;
            for (int i = 0; i < 40; i++) {
                if (!original.getFeatures().slice(i).equals(changed.getFeatures().slice(i))) {
                    differing++;
                }
            }
            // 81 crop offsets x 2 flips: the chance that an image stays unchanged is 1/162
            assertTrue(differing >= 35, differing + " of 40 images changed");
        }
    }

    @Test
    void statisticsForAnotherChannelCountAreRefused() {
        ImageSet set = gray(2, 3, 1);
        DatasetException e = assertThrows(DatasetException.class,
                () -> new BatchIterator(set, 2, ChannelStats.identity(), false, false, 1L, Layout.NCHW));
        assertEquals("normalisation statistics are for 3 channels, the images have 1", e.getMessage());
    }

    @Test
    void splitsWithDifferentChannelsAreRefused() {
        ImageSet gray = gray(2, 3, 1);
        ImageSet rgb = TestImages.cycling(2, 1, 3);
        DatasetException e = assertThrows(DatasetException.class, () -> new DatasetParts(gray, rgb, "mixed"));
        assertEquals("train and test splits of mixed have different channel counts: 1 vs 3", e.getMessage());
        assertEquals(List.of("class0"), gray.classNames());
    }
}
