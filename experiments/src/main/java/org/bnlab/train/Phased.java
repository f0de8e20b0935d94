package org.bnlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;
import java.util.Objects;

/**
 * An update rule that acts only in its group's phase: epochs are cut into phases of {@code everyEpochs}; in phase
 * {@code k} (0-based) it applies {@code inner} when {@code k % phases == phase}, and otherwise makes the step zero
 * (and, since DL4J adds L2 to the gradient before the update rule, no weight decay either). The inner rule's state
 * (momentum) is kept, untouched, across the phases it sits out. Alternating training of BN and the other weights
 * (Frankle et al. 2021, separate training of BN parameters). The epoch is DL4J's epoch count, which the trainer sets
 * after every epoch and a checkpoint keeps.
 *
 * <p>A bean, so that DL4J's Jackson can save and restore it with a checkpoint.
 */
public final class Phased implements IUpdater {

    private IUpdater inner;
    private int everyEpochs = 1;
    private int phase;
    private int phases = 2;

    public Phased() {
    }

    public Phased(IUpdater inner, int everyEpochs, int phase, int phases) {
        this.inner = inner;
        this.everyEpochs = everyEpochs;
        this.phase = phase;
        this.phases = phases;
    }

    /** Whether the group trains in this epoch (0-based). */
    public boolean active(int epoch) {
        return (epoch / everyEpochs) % phases == phase;
    }

    public IUpdater getInner() {
        return inner;
    }

    public void setInner(IUpdater inner) {
        this.inner = inner;
    }

    public int getEveryEpochs() {
        return everyEpochs;
    }

    public void setEveryEpochs(int everyEpochs) {
        this.everyEpochs = everyEpochs;
    }

    public int getPhase() {
        return phase;
    }

    public void setPhase(int phase) {
        this.phase = phase;
    }

    public int getPhases() {
        return phases;
    }

    public void setPhases(int phases) {
        this.phases = phases;
    }

    @Override
    public long stateSize(long numParams) {
        return inner.stateSize(numParams);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        return new Step(this, inner.instantiate(viewArray, initializeViewArray));
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        return new Step(this, inner.instantiate(updaterState, initializeStateArrays));
    }

    @Override
    public Phased clone() {
        return new Phased(inner.clone(), everyEpochs, phase, phases);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return active(epoch) ? inner.getLearningRate(iteration, epoch) : 0;
    }

    @Override
    public boolean hasLearningRate() {
        return inner.hasLearningRate();
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        inner.setLrAndSchedule(lr, lrSchedule);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Phased other && Objects.equals(other.inner, inner) && other.everyEpochs == everyEpochs
                && other.phase == phase && other.phases == phases;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inner, everyEpochs, phase, phases);
    }

    @Override
    public String toString() {
        return "Phased(" + inner + ", phase " + phase + " of " + phases + ", every " + everyEpochs + " epochs)";
    }

    private static final class Step implements GradientUpdater<Phased> {
        private final Phased config;
        private final GradientUpdater<?> inner;

        Step(Phased config, GradientUpdater<?> inner) {
            this.config = config;
            this.inner = inner;
        }

        @Override
        public Phased getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            inner.setState(stateMap, initialize);
        }

        @Override
        public Map<String, INDArray> getState() {
            return inner.getState();
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder,
                                      boolean initialize) {
            inner.setStateViewArray(viewArray, gradientShape, gradientOrder, initialize);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (config.active(epoch)) {
                inner.applyUpdater(gradient, iteration, epoch);
            } else {
                gradient.assign(0);
            }
        }
    }
}
