package org.bnlab.norm;

import org.bnlab.kernels.DnnlBatchNormalization;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.List;

/**
 * A plain DL4J {@link BatchNormalization} whose gamma and beta get L2 weight decay, which DL4J's own BN never applies
 * ({@code getRegularizationByParam} returns nothing). Made by {@link BatchNorm#withAffineDecay} when the normalization
 * parameter group's weight decay is positive on the plain kernel path (the oneDNN path's
 * {@link DnnlBatchNormalization} carries the same setting itself).
 */
public class DecayedBatchNormalization extends BatchNormalization {

    private double gammaBetaWeightDecay;

    /** For Jackson. */
    public DecayedBatchNormalization() {
        super();
    }

    /** A copy of {@code plain} with L2 {@code weightDecay} on gamma and beta. */
    public static DecayedBatchNormalization of(BatchNormalization plain, double weightDecay) {
        DecayedBatchNormalization decayed = new DecayedBatchNormalization();
        BatchNormalization source = plain.clone();
        for (Class<?> c = BatchNormalization.class; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                try {
                    f.set(decayed, f.get(source));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        decayed.gammaBetaWeightDecay = weightDecay;
        return decayed;
    }

    public double getGammaBetaWeightDecay() {
        return gammaBetaWeightDecay;
    }

    public void setGammaBetaWeightDecay(double gammaBetaWeightDecay) {
        this.gammaBetaWeightDecay = gammaBetaWeightDecay;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return DnnlBatchNormalization.gammaBetaRegularization(paramName, gammaBetaWeightDecay);
    }

    @Override
    public DecayedBatchNormalization clone() {
        return (DecayedBatchNormalization) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecayedBatchNormalization other
                && Double.compare(other.gammaBetaWeightDecay, gammaBetaWeightDecay) == 0 && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Double.hashCode(gammaBetaWeightDecay);
    }
}
