package org.bnlab.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** ECE, per-class accuracy and pair metrics on hand-made predictions. */
class MetricsTest {

    private static ModelOutputs outputs(float[][] p, int[] labels) {
        return new ModelOutputs(p, labels);
    }

    @Test
    void calibrationOnHandMadePredictions() {
        // 4 images, 2 classes, 2 bins (0, .5] and (.5, 1]
        float[][] p = {{0.92f, 0.08f}, {0.83f, 0.17f}, {0.26f, 0.74f}, {0.61f, 0.39f}};
        int[] labels = {0, 1, 1, 1};
        ModelMetrics m = ModelMetrics.of(outputs(p, labels), 2, 2);
        // predictions 0, 0, 1, 0: right, wrong, right, wrong
        assertEquals(0.5, m.accuracy(), 1e-12);
        assertEquals((0.92 + 0.83 + 0.74 + 0.61) / 4, m.meanConfidence(), 1e-6);
        assertEquals(-(Math.log(0.92) + Math.log(0.17) + Math.log(0.74) + Math.log(0.39)) / 4, m.loss(), 1e-6);
        assertArrayEquals(new double[]{1.0, 1.0 / 3}, m.perClassAccuracy(), 1e-12);
        assertArrayEquals(new int[]{1, 3}, m.perClassCount());
        // every confidence is above .5: one bin holds all, accuracy .5, confidence .775: ECE .275
        assertArrayEquals(new int[]{0, 4}, m.binCount());
        assertEquals(0.275, m.ece(), 1e-6);
        assertTrue(Double.isNaN(m.binAccuracy()[0]));

        // 10 bins: .92 (right), .83 (wrong), .74 (right), .61 (wrong) land in bins of their own
        ModelMetrics ten = ModelMetrics.of(outputs(p, labels), 2, 10);
        assertEquals((0.08 + 0.83 + 0.26 + 0.61) / 4, ten.ece(), 1e-6);
        assertEquals(1, ten.binCount()[9], "0.92 in (0.9, 1]");
        assertEquals(1, ten.binCount()[6], "0.61 in (0.6, 0.7]");
    }

    @Test
    void perfectlyCalibratedHasZeroEce() {
        // confidence .75 in all, 3 of 4 right
        float[][] p = {{0.75f, 0.25f}, {0.75f, 0.25f}, {0.75f, 0.25f}, {0.75f, 0.25f}};
        assertEquals(0, ModelMetrics.of(outputs(p, new int[]{0, 0, 0, 1}), 2, 15).ece(), 1e-6);
    }

    @Test
    void pairOnHandMadePredictions() {
        int[] labels = {0, 1, 1, 0, 1};
        float[][] t = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}, {0.3f, 0.7f}, {0.5f, 0.5f}};
        float[][] b = {{0.7f, 0.3f}, {0.6f, 0.4f}, {0.1f, 0.9f}, {0.4f, 0.6f}, {0.5f, 0.5f}};
        // predictions t: 0, 1, 0, 1, 0 (ties go to the first class); b: 0, 0, 1, 1, 0
        PairMetrics m = PairMetrics.of(outputs(t, labels), outputs(b, labels));
        assertEquals(5, m.images());
        assertEquals(3.0 / 5, m.agreement(), 1e-12);
        assertEquals(1, m.bothRight());          // image 0
        assertEquals(1, m.onlyTreatmentRight()); // image 1
        assertEquals(1, m.onlyBaselineRight());  // image 2
        assertEquals(2, m.neitherRight());       // images 3, 4
        double klTB = 0;
        double klBT = 0;
        for (int i = 0; i < 5; i++) {
            for (int c = 0; c < 2; c++) {
                klTB += t[i][c] * Math.log((double) t[i][c] / b[i][c]);
                klBT += b[i][c] * Math.log((double) b[i][c] / t[i][c]);
            }
        }
        assertEquals(klTB / 5, m.klTreatmentBaseline(), 1e-6);
        assertEquals(klBT / 5, m.klBaselineTreatment(), 1e-6);
        assertNotEquals(m.klTreatmentBaseline(), m.klBaselineTreatment(), 1e-6, "KL is not symmetric");
        assertEquals(0, PairMetrics.of(outputs(t, labels), outputs(t, labels)).klTreatmentBaseline(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> PairMetrics.of(outputs(t, labels), outputs(b, new int[]{1, 1, 1, 0, 1})));
    }
}
