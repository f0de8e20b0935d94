package org.bnlab.analysis;

/**
 * How two models' predictions on the same images relate: a treatment (e.g. with BN) and a baseline (e.g. without),
 * trained on the same data with the same seed.
 *
 * <p>{@code klTreatmentBaseline} is the mean over images of {@code KL(p_treatment || p_baseline) = sum_c p_t,c
 * log(p_t,c / p_b,c)}, {@code klBaselineTreatment} the other direction; natural log (nats), probabilities clamped at
 * 1e-12 so that a zero does not make it infinite.
 *
 * @param images              images compared
 * @param agreement           fraction of images on which the two predict the same class
 * @param bothRight           images both classify correctly
 * @param onlyTreatmentRight  images only the treatment classifies correctly
 * @param onlyBaselineRight   images only the baseline classifies correctly
 * @param neitherRight        images neither classifies correctly
 * @param klTreatmentBaseline mean KL(treatment || baseline), nats
 * @param klBaselineTreatment mean KL(baseline || treatment), nats
 */
public record PairMetrics(int images, double agreement, int bothRight, int onlyTreatmentRight, int onlyBaselineRight,
                          int neitherRight, double klTreatmentBaseline, double klBaselineTreatment) {

    private static final double FLOOR = 1e-12;

    /**
     * @throws IllegalArgumentException when the two are not outputs on the same images (sizes or labels differ)
     */
    public static PairMetrics of(ModelOutputs treatment, ModelOutputs baseline) {
        if (treatment.size() != baseline.size()
                || !java.util.Arrays.equals(treatment.labels(), baseline.labels())) {
            throw new IllegalArgumentException("the two models were not evaluated on the same images ("
                    + treatment.size() + " and " + baseline.size() + " images, labels "
                    + (java.util.Arrays.equals(treatment.labels(), baseline.labels()) ? "equal" : "differ") + ")");
        }
        int n = treatment.size();
        int agree = 0, both = 0, onlyT = 0, onlyB = 0, neither = 0;
        double klTB = 0, klBT = 0;
        for (int i = 0; i < n; i++) {
            int label = treatment.labels()[i];
            int t = treatment.predicted(i);
            int b = baseline.predicted(i);
            if (t == b && t >= 0) {
                agree++;
            }
            boolean tRight = t == label;
            boolean bRight = b == label;
            if (tRight && bRight) {
                both++;
            } else if (tRight) {
                onlyT++;
            } else if (bRight) {
                onlyB++;
            } else {
                neither++;
            }
            klTB += kl(treatment.probabilities()[i], baseline.probabilities()[i]);
            klBT += kl(baseline.probabilities()[i], treatment.probabilities()[i]);
        }
        return new PairMetrics(n, n == 0 ? Double.NaN : (double) agree / n, both, onlyT, onlyB, neither,
                n == 0 ? Double.NaN : klTB / n, n == 0 ? Double.NaN : klBT / n);
    }

    private static double kl(float[] p, float[] q) {
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            double pc = Math.max(p[c], FLOOR);
            sum += p[c] <= 0 ? 0 : pc * Math.log(pc / Math.max(q[c], FLOOR));
        }
        return sum;
    }
}
