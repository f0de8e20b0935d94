package org.bnlab.experiment;

import org.bnlab.data.Layout;
import org.bnlab.testing.Backend;
import org.bnlab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/** How a comparison's images are cut from real CIFAR-10: subsets, a held-out validation split, normalisation. */
@ExtendWith(Backend.class)
class ExperimentDataTest {

    @Test
    void subsetsAndTestSlice() {
        ExperimentData data = ExperimentData.load(new DataOptions("cifar10", SharedData.datasets(), 32, 30, null, 7,
                0, false, Layout.NHWC), 1);
        ExperimentData.Description d = data.description();
        assertEquals(300, d.trainImages());
        assertEquals(70, d.evaluationImages());
        assertEquals("test", d.evaluationSplit());
        assertEquals(10, d.classes());
        assertEquals(3, d.channelMean().length);
        assertTrue(d.channelStd()[0] > 0.1 && d.channelStd()[0] < 0.4, "a real image spread: " + d.channelStd()[0]);
    }

    @Test
    void aHeldOutValidationSplitReplacesTheTestSetAndLeavesTrainingImages() {
        ExperimentData data = ExperimentData.load(new DataOptions("cifar10", SharedData.datasets(), 32, null, 0.01,
                null, 5, false, Layout.NHWC), 3);
        ExperimentData.Description d = data.description();
        assertEquals("validation", d.evaluationSplit());
        assertEquals(50, d.evaluationImages(), "5 per class held out");
        assertEquals(500 - 50, d.trainImages(), "1% of 50,000, minus the held-out images");
        assertEquals(450, data.trainingBatches(128, 3).numExamples());
        assertEquals(50, data.evaluationBatches(128).numExamples());
    }
}
