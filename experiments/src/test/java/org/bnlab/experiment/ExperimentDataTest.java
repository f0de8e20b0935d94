package org.bnlab.experiment;

import org.bnlab.data.DatasetException;
import org.bnlab.data.Layout;
import org.bnlab.spec.DataSpec;
import org.bnlab.testing.Backend;
import org.bnlab.testing.TinyCifar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * How a run's images are cut as its {@link DataSpec} says (on a tiny CIFAR-10 in the official binary layout, 6
 * training and 3 test images per class): subsets, a stratified fraction, a held-out validation split drawn from the
 * seed, normalisation from the training images only.
 */
@ExtendWith(Backend.class)
class ExperimentDataTest {

    @TempDir
    static Path tmp;

    static Path root;

    @BeforeAll
    static void data() {
        root = TinyCifar.write(tmp.resolve("data"), 6, 3);
    }

    private static DataSpec spec(int trainPerClass, Double fraction, int testPerClass, int validationPerClass) {
        return new DataSpec("cifar10", root.toString(), 32, trainPerClass, fraction, testPerClass, validationPerClass,
                null, false, false, 0);
    }

    @Test
    void subsetsAndTestSlice() {
        ExperimentData data = ExperimentData.load(spec(4, null, 2, 0), Layout.NHWC, 1);
        ExperimentData.Description d = data.description();
        assertEquals(40, d.trainImages());
        assertEquals(20, d.evaluationImages());
        assertEquals("test", d.evaluationSplit());
        assertEquals(10, d.classes());
        assertEquals(10, data.numClasses());
        assertEquals(32, d.imageSize());
        assertEquals("cifar10", d.dataset());
        assertEquals(root.toString(), d.dataRoot());
        assertTrue(d.source().contains("CIFAR-10 binary"), d.source());
        assertEquals("NHWC", d.layout());
        assertEquals(3, d.channelMean().length);
        assertTrue(d.channelStd()[0] > 0.05 && d.channelStd()[0] < 0.5, "a spread of pixel values: " + d.channelStd()[0]);
        assertEquals(40, data.trainingBatches(16, 1).numExamples());
        assertEquals(3, data.trainingBatches(16, 1).numBatches());
        assertEquals(20, data.evaluationBatches(8).numExamples());
    }

    @Test
    void shuffledEvaluationBatchesAreRandomSamplesOfTheWholeSetFixedBySeed() {
        ExperimentData data = ExperimentData.load(spec(4, null, 3, 0), Layout.NHWC, 1);
        int[] fixed = labels(data.evaluationBatches(6));
        int[] shuffled = labels(data.shuffledEvaluationBatches(6, 7));
        assertArrayEquals(labels(data.shuffledEvaluationBatches(6, 7)), shuffled, "the same seed, the same order");
        assertFalse(java.util.Arrays.equals(shuffled, labels(data.shuffledEvaluationBatches(6, 8))), "another seed");
        int[] sortedFixed = fixed.clone();
        int[] sortedShuffled = shuffled.clone();
        java.util.Arrays.sort(sortedFixed);
        java.util.Arrays.sort(sortedShuffled);
        assertArrayEquals(sortedFixed, sortedShuffled, "every image once");
        assertFalse(java.util.Arrays.equals(fixed, shuffled), "not the reading order");
    }

    private static int[] labels(org.bnlab.data.BatchIterator batches) {
        java.util.List<Integer> labels = new java.util.ArrayList<>();
        try (batches) {
            while (batches.hasNext()) {
                for (float[] row : batches.next().getLabels().toFloatMatrix()) {
                    for (int c = 0; c < row.length; c++) {
                        if (row[c] > 0.5f) {
                            labels.add(c);
                        }
                    }
                }
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void zeroMeansAllImages() {
        ExperimentData.Description d = ExperimentData.load(spec(0, null, 0, 0), Layout.NCHW, 1).description();
        assertEquals(60, d.trainImages());
        assertEquals(30, d.evaluationImages());
        assertEquals("NCHW", d.layout());
    }

    @Test
    void aStratifiedFractionOfTheTrainingImages() {
        ExperimentData.Description d = ExperimentData.load(spec(0, 0.5, 0, 0), Layout.NHWC, 1).description();
        assertEquals(30, d.trainImages());
        assertEquals(0.5, d.trainFraction());
    }

    @Test
    void aHeldOutValidationSplitReplacesTheTestSetAndLeavesTrainingImages() {
        ExperimentData data = ExperimentData.load(spec(5, null, 0, 1), Layout.NHWC, 3);
        ExperimentData.Description d = data.description();
        assertEquals("validation", d.evaluationSplit());
        assertEquals(10, d.evaluationImages(), "1 per class held out");
        assertEquals(50 - 10, d.trainImages(), "5 per class, minus the held-out images");
        assertEquals(40, data.trainingBatches(128, 3).numExamples());
        assertEquals(10, data.evaluationBatches(128).numExamples());
    }

    @Test
    void normalisationComesFromTheTrainingImagesOnly() {
        float[] small = ExperimentData.load(spec(2, null, 1, 0), Layout.NHWC, 1).description().channelMean();
        float[] moreTest = ExperimentData.load(spec(2, null, 3, 0), Layout.NHWC, 1).description().channelMean();
        float[] moreTrain = ExperimentData.load(spec(6, null, 1, 0), Layout.NHWC, 1).description().channelMean();
        assertArrayEquals(small, moreTest, "the test images do not move it");
        assertFalse(java.util.Arrays.equals(small, moreTrain));
    }

    @Test
    void missingDataIsADatasetErrorNamingTheFolder() {
        Path empty = tmp.resolve("empty");
        DataSpec none = new DataSpec("cifar10", empty.toString(), 32, 1, null, 1, 0, null, false, false, 0);
        DatasetException e = assertThrows(DatasetException.class, () -> ExperimentData.load(none, Layout.NHWC, 1));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("downloading is disabled"),
                e.getMessage());
    }
}
