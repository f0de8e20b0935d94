package org.bnlab.train;

import org.bnlab.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(Backend.class)
class PredictionsTest {

    private static final INDArray LABELS = Nd4j.createFromArray(new float[][]{{1, 0, 0}, {0, 0, 1}});

    @Test
    void crossEntropyAndAccuracyFromLogitsAndFromProbabilities() {
        float[][] z = {{2, 1, 0}, {0, 3, 1}};
        INDArray logits = Nd4j.createFromArray(z);
        double loss0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1));
        double loss1 = -Math.log(Math.exp(1) / (1 + Math.exp(3) + Math.exp(1)));

        Predictions fromLogits = new Predictions();
        fromLogits.addLogits(logits, LABELS);
        assertEquals((loss0 + loss1) / 2, fromLogits.meanLoss(), 1e-6);
        assertEquals(0.5, fromLogits.accuracy());

        Predictions fromProbabilities = new Predictions();
        fromProbabilities.addProbabilities(org.nd4j.linalg.ops.transforms.Transforms.softmax(logits), LABELS);
        assertEquals(fromLogits.meanLoss(), fromProbabilities.meanLoss(), 1e-5);
        assertEquals(0.5, fromProbabilities.accuracy());
    }

    @Test
    void aDivergedNetworkIsNeverRight() {
        Predictions p = new Predictions();
        p.addLogits(Nd4j.createFromArray(new float[][]{{Float.NaN, 0, 0}, {0, 0, Float.POSITIVE_INFINITY}}), LABELS);
        assertEquals(0.0, p.accuracy());
        assertTrue(Double.isNaN(p.meanLoss()));
    }
}
