package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Training batches of few classes ({@code data.batch_classes}, Ioffe 2017, 4.3). */
class ClassBatchesTest {

    private static final ChannelStats STATS = new ChannelStats(new float[] {0.5f, 0.4f, 0.3f},
            new float[] {0.25f, 0.2f, 0.1f});

    /** Uneven classes: 13, 12, ..., 5 images of classes 0..8 (81 images), labels interleaved. */
    private static int[] unevenLabels() {
        List<Integer> labels = new ArrayList<>();
        for (int round = 0; round < 13; round++) {
            for (int c = 0; c < 9; c++) {
                if (round < 13 - c) {
                    labels.add(c);
                }
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Class counts of each batch, read from the one-hot labels. */
    private static List<Map<Integer, Integer>> classCounts(BatchIterator it) {
        List<Map<Integer, Integer>> batches = new ArrayList<>();
        while (it.hasNext()) {
            DataSet batch = it.next();
            Map<Integer, Integer> counts = new TreeMap<>();
            for (int row = 0; row < batch.numExamples(); row++) {
                counts.merge(batch.getLabels().getRow(row).argMax().getInt(0), 1, Integer::sum);
            }
            batches.add(counts);
        }
        return batches;
    }

    @Test
    void everyBatchHoldsKClassesEquallyOftenAndNoImageTwice() {
        int[] labels = unevenLabels();
        for (int[] sizeAndClasses : new int[][] {{4, 2}, {6, 3}, {8, 4}, {4, 4}, {9, 9}}) {
            int batchSize = sizeAndClasses[0];
            int k = sizeAndClasses[1];
            int perClass = batchSize / k;
            for (int epoch = 0; epoch < 3; epoch++) {
                EpochPlan plan = EpochPlan.classBatched(labels, 9, batchSize, k, 7, epoch, true, 4);
                assertEquals(0, plan.size() % batchSize);
                Set<Integer> seen = new HashSet<>();
                for (int b = 0; b < plan.size() / batchSize; b++) {
                    Map<Integer, Integer> counts = new TreeMap<>();
                    for (int p = b * batchSize; p < (b + 1) * batchSize; p++) {
                        assertTrue(seen.add(plan.image(p)), "image " + plan.image(p) + " twice in epoch " + epoch);
                        counts.merge(labels[plan.image(p)], 1, Integer::sum);
                    }
                    assertEquals(k, counts.size(), "batch " + b + ": " + counts);
                    for (int count : counts.values()) {
                        assertEquals(perClass, count, "batch " + b + ": " + counts);
                    }
                }
                // no further batch could be formed: fewer than k classes have a whole group left
                int[] used = new int[9];
                for (int image : seen) {
                    used[labels[image]]++;
                }
                int classesWithGroupsLeft = 0;
                for (int c = 0; c < 9; c++) {
                    if ((13 - c) / perClass - used[c] / perClass > 0) {
                        classesWithGroupsLeft++;
                    }
                }
                assertTrue(classesWithGroupsLeft < k, batchSize + "/" + k + ": " + classesWithGroupsLeft);
                assertTrue(plan.augmented());
            }
        }
    }

    @Test
    void theBatchesFollowTheSeedAndEpochAndTheirNumberDoesNot() {
        ImageSet set = TestImages.synthetic(unevenLabels(), 4, 4, 9);
        try (BatchIterator a = new BatchIterator(set, 6, STATS, true, true, 3, 11L, Layout.NCHW);
             BatchIterator b = new BatchIterator(set, 6, STATS, true, true, 3, 11L, Layout.NCHW);
             BatchIterator other = new BatchIterator(set, 6, STATS, true, true, 3, 12L, Layout.NCHW)) {
            int batches = a.numBatches();
            assertEquals(batches * 6, a.numExamples());
            List<DataSet> first = new ArrayList<>();
            while (a.hasNext()) {
                first.add(a.next());
            }
            assertEquals(batches, first.size());
            for (DataSet batch : first) {
                DataSet same = b.next();
                assertEquals(batch.getFeatures(), same.getFeatures());
                assertEquals(batch.getLabels(), same.getLabels());
            }
            assertEquals(batches, other.numBatches());
            assertFalse(other.next().getFeatures().equals(first.get(0).getFeatures()), "another seed, same batch");
            a.setEpoch(1);
            assertEquals(batches, a.numBatches());
            assertFalse(a.next().getFeatures().equals(first.get(0).getFeatures()), "another epoch, same batch");
            a.setEpoch(0);
            assertEquals(first.get(0).getFeatures(), a.next().getFeatures(), "epoch 0 replays");
        }
    }

    @Test
    void theLabelsOfEachBatchShowKClasses() {
        ImageSet set = TestImages.cycling(20, 10, 4);
        try (BatchIterator it = new BatchIterator(set, 8, STATS, false, true, 2, 5L, Layout.NHWC)) {
            List<Map<Integer, Integer>> batches = classCounts(it);
            assertEquals(25, batches.size()); // 200 images, 10 groups of 4 per class: all 100 groups used
            for (Map<Integer, Integer> counts : batches) {
                assertEquals(List.of(4, 4), List.copyOf(counts.values()), counts.toString());
            }
        }
    }

    @Test
    void offIsTheShuffleOfTheWholeSet() {
        ImageSet set = TestImages.cycling(5, 2, 4);
        try (BatchIterator old = new BatchIterator(set, 4, STATS, true, true, 9L, Layout.NCHW);
             BatchIterator off = new BatchIterator(set, 4, STATS, true, true, 0, 9L, Layout.NCHW)) {
            assertEquals(3, off.numBatches());
            assertEquals(10, off.numExamples());
            while (old.hasNext()) {
                assertEquals(old.next().getFeatures(), off.next().getFeatures());
            }
            assertFalse(off.hasNext());
        }
    }

    @Test
    void theGreedyCountUsesEveryGroupItCan() {
        assertEquals(5, EpochPlan.classBatchCount(new int[] {5, 5}, 2));
        assertEquals(2, EpochPlan.classBatchCount(new int[] {5, 1, 1}, 2));
        assertEquals(3, EpochPlan.classBatchCount(new int[] {2, 2, 2}, 2)); // largest first, not 2
        assertEquals(0, EpochPlan.classBatchCount(new int[] {9, 0, 0}, 2));
    }

    @Test
    void impossibleValuesNameTheSetting() {
        ImageSet set = TestImages.cycling(3, 4, 4);
        for (int[] bad : new int[][] {{8, 5}, {6, 4}, {8, -1}, {8, 2}}) { // too many classes, not a divisor, < 0,
            DatasetException e = assertThrows(DatasetException.class,                 // 4 per class > 3 images
                    () -> new BatchIterator(set, bad[0], STATS, false, true, bad[1], 1L, Layout.NCHW));
            assertTrue(e.getMessage().startsWith("data.batch_classes"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        try (BatchIterator it = new BatchIterator(set, 6, STATS, false, true, 2, 1L, Layout.NCHW)) {
            assertArrayEquals(new long[] {6, 3, 4, 4}, it.next().getFeatures().shape());
        }
    }
}
