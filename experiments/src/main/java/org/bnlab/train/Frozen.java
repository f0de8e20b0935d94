package org.bnlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Collections;
import java.util.Map;

/**
 * The update rule of a frozen parameter: the step is zero, so the parameter stays bit-identical to its
 * initialisation (Frankle et al. 2021, "Training BatchNorm and only BatchNorm": everything but BN frozen at its
 * random initialisation, or BN's gamma and beta frozen at 1 and 0).
 *
 * <p>DL4J's {@code NoOp} does not do this: it leaves the gradient as it is and DL4J subtracts it from the parameter
 * (that is how BN's running statistics are updated), so a layer with {@code NoOp} still moves, with learning rate 1.
 */
public final class Frozen implements IUpdater {

    public Frozen() {
    }

    @Override
    public long stateSize(long numParams) {
        return 0;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        return new Step(this);
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        return new Step(this);
    }

    @Override
    public Frozen clone() {
        return new Frozen();
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return 0;
    }

    @Override
    public boolean hasLearningRate() {
        return false;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException("a frozen parameter has no learning rate");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frozen;
    }

    @Override
    public int hashCode() {
        return Frozen.class.hashCode();
    }

    @Override
    public String toString() {
        return "Frozen";
    }

    /** Zeroes the step. */
    private static final class Step implements GradientUpdater<Frozen> {
        private final Frozen config;

        Step(Frozen config) {
            this.config = config;
        }

        @Override
        public Frozen getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        }

        @Override
        public Map<String, INDArray> getState() {
            return Collections.emptyMap();
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder,
                                      boolean initialize) {
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            gradient.assign(0);
        }
    }
}
