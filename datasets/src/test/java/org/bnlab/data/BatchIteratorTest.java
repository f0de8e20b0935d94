package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class BatchIteratorTest {

    private static final ChannelStats STATS = new ChannelStats(new float[] {0.5f, 0.4f, 0.3f},
            new float[] {0.25f, 0.2f, 0.1f});

    private static List<DataSet> epoch(BatchIterator it) {
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next());
        }
        return batches;
    }

    private static float expected(ChannelStats stats, int c, int raw) {
        return (float) ((raw / 255.0 - stats.mean()[c]) / stats.std()[c]);
    }

    @Test
    void shapesForBothLayoutsAndTheLastPartialBatch() {
        ImageSet set = TestImages.cycling(5, 2, 6); // 10 images 6x6
        try (BatchIterator nchw = new BatchIterator(set, 4, STATS, false, false, 1L, Layout.NCHW);
             BatchIterator nhwc = new BatchIterator(set, 4, STATS, false, false, 1L, Layout.NHWC)) {
            assertEquals(3, nchw.numBatches());
            List<DataSet> a = epoch(nchw);
            List<DataSet> b = epoch(nhwc);
            assertEquals(3, a.size());
            assertArrayEquals(new long[] {4, 3, 6, 6}, a.get(0).getFeatures().shape());
            assertArrayEquals(new long[] {2, 3, 6, 6}, a.get(2).getFeatures().shape());
            assertArrayEquals(new long[] {4, 6, 6, 3}, b.get(1).getFeatures().shape());
            assertArrayEquals(new long[] {2, 6, 6, 3}, b.get(2).getFeatures().shape());
            assertArrayEquals(new long[] {2, 2}, a.get(2).getLabels().shape());
            assertEquals(DataType.FLOAT, a.get(0).getFeatures().dataType());
            assertEquals(DataType.FLOAT, a.get(0).getLabels().dataType());
            assertFalse(nchw.hasNext());
            assertThrows(java.util.NoSuchElementException.class, nchw::next);
            assertEquals(6 * 6 * 3, nchw.inputColumns());
            assertEquals(2, nchw.totalOutcomes());
            assertEquals(List.of("class0", "class1"), nchw.getLabels());
        }
    }

    @Test
    void featuresAreNormalisedAndLabelsOneHot() {
        ImageSet set = TestImages.cycling(3, 3, 4);
        try (BatchIterator it = new BatchIterator(set, 9, STATS, false, false, 1L, Layout.NCHW)) {
            DataSet batch = it.next();
            INDArray x = batch.getFeatures();
            for (int i = 0; i < 9; i++) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 4; y++) {
                        for (int xx = 0; xx < 4; xx++) {
                            assertEquals(expected(STATS, c, TestImages.value(i, y, xx, c)),
                                    x.getFloat(i, c, y, xx), 0f, "no shuffle: slot i is image i");
                        }
                    }
                }
                float[] oneHot = batch.getLabels().getRow(i).toFloatVector();
                float[] want = new float[3];
                want[i % 3] = 1f;
                assertArrayEquals(want, oneHot);
            }
        }
    }

    @Test
    void sameSeedAndEpochGiveIdenticalBatchesOtherEpochsAnotherOrder() {
        ImageSet set = TestImages.cycling(20, 5, 8);
        try (BatchIterator a = new BatchIterator(set, 16, STATS, true, true, 99L, Layout.NCHW);
             BatchIterator b = new BatchIterator(set, 16, STATS, true, true, 99L, Layout.NCHW)) {
            a.setEpoch(3);
            b.setEpoch(3);
            List<DataSet> first = epoch(a);
            List<DataSet> second = epoch(b);
            for (int k = 0; k < first.size(); k++) {
                assertArrayEquals(first.get(k).getFeatures().data().asFloat(), second.get(k).getFeatures().data().asFloat());
                assertArrayEquals(first.get(k).getLabels().data().asFloat(), second.get(k).getLabels().data().asFloat());
            }
            // reset() replays the current epoch, even from the middle of it.
            a.reset();
            a.next();
            a.reset();
            assertArrayEquals(first.get(0).getFeatures().data().asFloat(), a.next().getFeatures().data().asFloat());

            b.setEpoch(4);
            List<DataSet> other = epoch(b);
            assertFalse(java.util.Arrays.equals(first.get(0).getLabels().data().asFloat(),
                    other.get(0).getLabels().data().asFloat()), "epoch 4 visits images in another order");

            // A different seed gives a different epoch 3.
            try (BatchIterator c = new BatchIterator(set, 16, STATS, true, true, 100L, Layout.NCHW)) {
                c.setEpoch(3);
                assertFalse(java.util.Arrays.equals(first.get(0).getFeatures().data().asFloat(),
                        c.next().getFeatures().data().asFloat()));
            }
        }
    }

    @Test
    void shuffledEpochVisitsEveryImageOnce() {
        ImageSet set = TestImages.cycling(25, 4, 3);
        try (BatchIterator it = new BatchIterator(set, 7, ChannelStats.identity(), false, true, 5L, Layout.NHWC)) {
            it.setEpoch(2);
            Set<Float> firstPixels = new HashSet<>();
            int count = 0;
            for (DataSet batch : epoch(it)) {
                INDArray x = batch.getFeatures();
                for (int i = 0; i < x.size(0); i++, count++) {
                    // value(i,0,0,0) = 31*i mod 256 is distinct for the 100 images
                    firstPixels.add(x.getFloat(i, 0, 0, 0));
                }
            }
            assertEquals(100, count);
            assertEquals(100, firstPixels.size());
        }
    }

    /**
     * Every augmented image must be exactly some crop of the zero-padded original, mirrored or not:
     * checked against an independent pad-crop-flip written out here, over all 162 possible draws.
     */
    @Test
    void augmentationIsACropOfTheBlackPaddedImageMaybeMirrored() {
        int side = 8;
        ImageSet set = TestImages.cycling(30, 2, side);
        Set<String> drawsSeen = new HashSet<>();
        try (BatchIterator it = new BatchIterator(set, 60, STATS, true, false, 3L, Layout.NCHW)) {
            INDArray x = it.next().getFeatures();
            for (int i = 0; i < set.size(); i++) {
                String draw = findDraw(set, i, x, side);
                assertTrue(draw != null, "image " + i + " is not a crop of its padded original");
                drawsSeen.add(draw);
            }
        }
        assertTrue(drawsSeen.size() > 30, "draws vary: " + drawsSeen.size() + " distinct out of 60");
        assertTrue(drawsSeen.stream().anyMatch(d -> d.endsWith("true")));
        assertTrue(drawsSeen.stream().anyMatch(d -> d.endsWith("false")));
    }

    private static String findDraw(ImageSet set, int image, INDArray batch, int side) {
        int pad = BatchIterator.PADDING;
        for (int dy = 0; dy <= 2 * pad; dy++) {
            for (int dx = 0; dx <= 2 * pad; dx++) {
                for (boolean flip : new boolean[] {false, true}) {
                    if (matches(set, image, batch, side, dy, dx, flip)) {
                        return dy + "," + dx + "," + flip;
                    }
                }
            }
        }
        return null;
    }

    private static boolean matches(ImageSet set, int image, INDArray batch, int side, int dy, int dx, boolean flip) {
        int pad = BatchIterator.PADDING;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int cropX = flip ? side - 1 - x : x;       // mirror the crop
                int py = y + dy;                          // position in the padded image
                int px = cropX + dx;
                for (int c = 0; c < 3; c++) {
                    boolean inside = py >= pad && py < pad + side && px >= pad && px < pad + side;
                    int raw = inside ? set.pixel(image, py - pad, px - pad, c) : 0;
                    if (batch.getFloat(image, c, y, x) != expected(STATS, c, raw)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void nchwAndNhwcHoldTheSameNumbersPermuted() {
        ImageSet set = TestImages.cycling(10, 3, 8);
        try (BatchIterator nchw = new BatchIterator(set, 12, STATS, true, true, 11L, Layout.NCHW);
             BatchIterator nhwc = new BatchIterator(set, 12, STATS, true, true, 11L, Layout.NHWC)) {
            nchw.setEpoch(1);
            nhwc.setEpoch(1);
            List<DataSet> a = epoch(nchw);
            List<DataSet> b = epoch(nhwc);
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) {
                assertEquals(a.get(k).getFeatures().permute(0, 2, 3, 1), b.get(k).getFeatures());
                assertEquals(a.get(k).getLabels(), b.get(k).getLabels());
            }
        }
    }

    @Test
    void closeAndResetStopTheBackgroundThread() throws InterruptedException {
        ImageSet set = TestImages.cycling(50, 2, 4);
        BatchIterator it = new BatchIterator(set, 2, STATS, true, true, 1L, Layout.NCHW);
        it.next();
        assertTrue(liveBatchThreads().stream().allMatch(Thread::isDaemon));
        assertFalse(liveBatchThreads().isEmpty());
        it.reset();
        assertTrue(liveBatchThreads().isEmpty(), "reset stops the thread; the next batch starts a new one");
        it.next();
        it.close();
        assertTrue(liveBatchThreads().isEmpty());
    }

    private static List<Thread> liveBatchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("bnlab-batches") && t.isAlive())
                .toList();
    }

    @Test
    void errorsInTheBackgroundThreadSurfaceOnTheConsumer() {
        try (BatchPrefetcher prefetcher = new BatchPrefetcher("bnlab-batches-test", 0, 5, i -> {
            if (i == 2) {
                throw new DatasetException("broken image 2");
            }
            return new DataSet();
        }, 2)) {
            assertTrue(prefetcher.thread().isDaemon());
            // Let the producer fill the queue and block with the error in hand: the error must not
            // be lost because the queue was full when it happened.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (prefetcher.thread().getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            prefetcher.take();
            prefetcher.take();
            DatasetException e = assertThrows(DatasetException.class, prefetcher::take);
            assertEquals("preparing batch 2 failed: broken image 2", e.getMessage());
            assertFalse(prefetcher.thread().isAlive());
        }
        try (BatchPrefetcher prefetcher = new BatchPrefetcher("bnlab-batches-test", 0, 5, i -> {
            throw new ArithmeticException("bug");
        }, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, prefetcher::take);
            assertTrue(e.getCause() instanceof ArithmeticException);
        }
    }

    @Test
    void impossibleSettingsAreRefused() {
        ImageSet set = TestImages.cycling(2, 2, 4);
        assertThrows(DatasetException.class, () -> new BatchIterator(set, 0, STATS, false, false, 1L, Layout.NCHW));
        try (BatchIterator it = new BatchIterator(set, 2, STATS, false, false, 1L, Layout.NCHW)) {
            assertThrows(DatasetException.class, () -> it.setEpoch(-1));
            assertNotEquals(null, it.next());
        }
    }
}
