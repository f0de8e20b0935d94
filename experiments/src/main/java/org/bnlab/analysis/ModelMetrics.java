package org.bnlab.analysis;

/**
 * What one model's outputs on a data set say about it: top-1 accuracy, mean cross-entropy, per-class accuracy, mean
 * confidence and the expected calibration error with its reliability diagram (Guo et al. 2017, "On Calibration of
 * Modern Neural Networks", ICML, section 2).
 *
 * <p>Confidence is the highest class probability. The calibration bins are {@code bins} equal-width intervals
 * {@code ((b-1)/B, b/B]} of the confidence (the first includes 0); ECE {@code = sum_b (n_b / n) |acc_b - conf_b|}.
 * All fractions are in [0, 1]. A row with a non-finite probability counts as wrong, with confidence 0.
 *
 * @param images           images evaluated
 * @param accuracy         fraction correct
 * @param loss             mean cross-entropy, probabilities clamped at 1e-12 (nats)
 * @param meanConfidence   mean of the highest probability
 * @param ece              expected calibration error (a fraction)
 * @param perClassAccuracy [classes] fraction correct among the images of each class (NaN for a class without images)
 * @param perClassCount    [classes] images of each class
 * @param binCount         [bins] images per confidence bin
 * @param binAccuracy      [bins] fraction correct per bin (NaN when empty)
 * @param binConfidence    [bins] mean confidence per bin (NaN when empty)
 */
public record ModelMetrics(int images, double accuracy, double loss, double meanConfidence, double ece,
                           double[] perClassAccuracy, int[] perClassCount, int[] binCount, double[] binAccuracy,
                           double[] binConfidence) {

    /**
     * @param outputs   probabilities and labels
     * @param numClasses classes of the data set (a class without test images gets NaN)
     * @param bins      calibration bins, >= 1
     */
    public static ModelMetrics of(ModelOutputs outputs, int numClasses, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("calibration needs at least one bin, got " + bins);
        }
        int n = outputs.size();
        int[] classCount = new int[numClasses];
        int[] classCorrect = new int[numClasses];
        int[] binCount = new int[bins];
        int[] binCorrect = new int[bins];
        double[] binConfSum = new double[bins];
        int correct = 0;
        double lossSum = 0;
        double confSum = 0;
        for (int i = 0; i < n; i++) {
            int label = outputs.labels()[i];
            int predicted = outputs.predicted(i);
            boolean right = predicted == label;
            double confidence = predicted < 0 ? 0 : outputs.probabilities()[i][predicted];
            float p = outputs.probabilities()[i][label];
            lossSum += -Math.log(Float.isNaN(p) ? 1e-12 : Math.max(p, 1e-12));
            confSum += confidence;
            classCount[label]++;
            int bin = Math.min(bins - 1, Math.max(0, (int) Math.ceil(confidence * bins) - 1));
            binCount[bin]++;
            binConfSum[bin] += confidence;
            if (right) {
                correct++;
                classCorrect[label]++;
                binCorrect[bin]++;
            }
        }
        double[] perClass = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            perClass[c] = classCount[c] == 0 ? Double.NaN : (double) classCorrect[c] / classCount[c];
        }
        double[] binAccuracy = new double[bins];
        double[] binConfidence = new double[bins];
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            binAccuracy[b] = binCount[b] == 0 ? Double.NaN : (double) binCorrect[b] / binCount[b];
            binConfidence[b] = binCount[b] == 0 ? Double.NaN : binConfSum[b] / binCount[b];
            if (binCount[b] > 0) {
                ece += (double) binCount[b] / n * Math.abs(binAccuracy[b] - binConfidence[b]);
            }
        }
        return new ModelMetrics(n, n == 0 ? Double.NaN : (double) correct / n, n == 0 ? Double.NaN : lossSum / n,
                n == 0 ? Double.NaN : confSum / n, n == 0 ? Double.NaN : ece, perClass, classCount, binCount,
                binAccuracy, binConfidence);
    }
}
