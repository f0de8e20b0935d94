package org.bnlab.analysis;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A network's class probabilities on a data set, image by image in the set's order, with the labels.
 *
 * @param probabilities [images][classes] softmax outputs
 * @param labels        [images] class indices
 */
public record ModelOutputs(float[][] probabilities, int[] labels) {

    public ModelOutputs {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " rows of probabilities for " + labels.length
                    + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return probabilities.length == 0 ? 0 : probabilities[0].length;
    }

    /** The predicted class of image {@code i}: the highest probability; -1 when a value is not finite. */
    public int predicted(int i) {
        float[] p = probabilities[i];
        int best = 0;
        for (int c = 0; c < p.length; c++) {
            if (!Float.isFinite(p[c])) {
                return -1;
            }
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Collects batches of outputs. */
    public static final class Builder {
        private float[][] probabilities = new float[0][];
        private int[] labels = new int[0];
        private int size;

        /** Adds a batch: {@code probabilities} [batch, classes], {@code oneHot} [batch, classes]. */
        public void add(INDArray probabilities, INDArray oneHot) {
            float[][] p = probabilities.toFloatMatrix();
            float[][] y = oneHot.toFloatMatrix();
            if (size + p.length > labels.length) {
                int capacity = Math.max(size + p.length, labels.length * 2);
                this.probabilities = Arrays.copyOf(this.probabilities, capacity);
                labels = Arrays.copyOf(labels, capacity);
            }
            for (int i = 0; i < p.length; i++) {
                this.probabilities[size] = p[i];
                int label = 0;
                for (int c = 0; c < y[i].length; c++) {
                    if (y[i][c] > 0.5f) {
                        label = c;
                    }
                }
                labels[size++] = label;
            }
        }

        public ModelOutputs build() {
            return new ModelOutputs(Arrays.copyOf(probabilities, size), Arrays.copyOf(labels, size));
        }
    }
}
