package org.bnlab.measure;

import org.bnlab.model.KernelPath;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.results.ActivationRow;
import org.bnlab.testing.Backend;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.bnlab.measure.ActivationStatisticsTest.images;
import static org.bnlab.measure.ActivationStatisticsTest.resnet8;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(Backend.class)
class ActivationStatsListenerTest {

    @Test
    void takesASnapshotEveryNIterationsAndOnlyThen() {
        ComputationGraph net = resnet8(BatchNorm.DEFAULT, KernelPath.ONEDNN);
        ActivationStatsListener listener = new ActivationStatsListener(3);
        net.setListeners(listener);

        listener.startEpoch(1);
        fit(net, 4); // iterations 0, 1, 2, 3
        List<ActivationRow> first = listener.epochRows();
        listener.startEpoch(2);
        fit(net, 3); // iterations 4, 5, 6
        List<ActivationRow> second = listener.epochRows();

        assertEquals(List.of(0L, 3L), first.stream().map(ActivationRow::iteration).distinct().toList());
        assertTrue(first.stream().allMatch(r -> r.epoch() == 1));
        assertEquals(List.of(6L), second.stream().map(ActivationRow::iteration).distinct().toList());
        assertTrue(second.stream().allMatch(r -> r.epoch() == 2));
        // one row per layer in each snapshot: every vertex but the input and the output layer (which DL4J
        // computes while scoring, outside the forward pass the listener sees)
        int layers = net.getVertices().length - 2;
        assertEquals(2 * layers, first.size());
        assertEquals(layers, second.size());
        assertEquals("pool", second.get(layers - 1).stats().layer());
    }

    @Test
    void zeroRecordsNothingAndNegativeIsRefused() {
        ComputationGraph net = resnet8(NoNorm.DEFAULT, KernelPath.ONEDNN);
        ActivationStatsListener off = new ActivationStatsListener(0);
        net.setListeners(off);
        off.startEpoch(1);
        fit(net, 2);

        assertFalse(off.isRecording());
        assertTrue(off.epochRows().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ActivationStatsListener(-1));
        assertTrue(e.getMessage().contains("--stats-every"), e.getMessage());
    }

    @Test
    void recordingChangesNothingInTraining() {
        ComputationGraph plain = resnet8(BatchNorm.DEFAULT, KernelPath.ONEDNN);
        ComputationGraph recorded = resnet8(BatchNorm.DEFAULT, KernelPath.ONEDNN);
        ActivationStatsListener everyIteration = new ActivationStatsListener(1);
        recorded.setListeners(everyIteration);
        everyIteration.startEpoch(1);

        fit(plain, 3);
        fit(recorded, 3);

        assertEquals(3 * (recorded.getVertices().length - 2), everyIteration.epochRows().size());
        assertEquals(plain.params(), recorded.params(), "same weights after the same steps");
    }

    /** {@code steps} training steps on fixed random batches of 4 images. */
    private static void fit(ComputationGraph net, int steps) {
        for (int i = 0; i < steps; i++) {
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 10);
            for (int row = 0; row < 4; row++) {
                labels.putScalar(row, (row + i) % 10, 1.0);
            }
            net.fit(new DataSet(images(4, i), labels));
        }
    }
}
