package org.bnlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cross-entropy and accuracy of a batch of class scores against one-hot labels, computed in double precision on
 * the host. Works from logits (numerically stable log-softmax) or from softmax probabilities. A row holding NaN or
 * infinity (a diverged network) counts as wrong and makes the loss NaN or infinite, as it should.
 */
final class Predictions {

    private double lossSum;
    private long correct;
    private long count;

    /** Adds a batch of logits, shape [batch, classes]. */
    void addLogits(INDArray logits, INDArray oneHotLabels) {
        float[][] z = logits.toFloatMatrix();
        int[] labels = labelIndices(oneHotLabels);
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : z[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : z[i]) {
                sum += Math.exp(v - max);
            }
            lossSum += -(z[i][labels[i]] - max - Math.log(sum));
            tally(z[i], labels[i]);
        }
    }

    /**
     * Adds a batch of probabilities, shape [batch, classes]. Probabilities are clamped at 1e-12 before the log,
     * so a confidently wrong prediction costs about 27.6 instead of infinity.
     */
    void addProbabilities(INDArray probabilities, INDArray oneHotLabels) {
        float[][] p = probabilities.toFloatMatrix();
        int[] labels = labelIndices(oneHotLabels);
        for (int i = 0; i < p.length; i++) {
            lossSum += -Math.log(Math.max(p[i][labels[i]], 1e-12));
            tally(p[i], labels[i]);
        }
    }

    private void tally(float[] scores, int label) {
        int best = 0;
        boolean finite = true;
        for (int c = 0; c < scores.length; c++) {
            finite &= Float.isFinite(scores[c]);
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        if (finite && best == label) {
            correct++;
        }
        count++;
    }

    private static int[] labelIndices(INDArray oneHot) {
        float[][] y = oneHot.toFloatMatrix();
        int[] labels = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            for (int c = 0; c < y[i].length; c++) {
                if (y[i][c] > 0.5f) {
                    labels[i] = c;
                }
            }
        }
        return labels;
    }

    /** Adds another tally to this one. */
    void add(Predictions other) {
        lossSum += other.lossSum;
        correct += other.correct;
        count += other.count;
    }

    double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    long count() {
        return count;
    }
}
