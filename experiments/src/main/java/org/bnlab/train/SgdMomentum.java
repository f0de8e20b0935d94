package org.bnlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;
import java.util.Objects;

/**
 * SGD with classical (heavy-ball) momentum in PyTorch's form, the optimizer of He et al. 2016:
 * {@code v = momentum * v + g;  p = p - lr * v}. DL4J ships only Nesterov momentum ({@code Nesterovs}), whose
 * steps differ, so reproducing the paper needs this. Weight decay is not part of it: the network's L2
 * regularisation adds {@code wd * p} to {@code g} before the update, as PyTorch's {@code weight_decay} does.
 *
 * <p>Because the learning rate multiplies the velocity when the step is taken, dividing the learning rate by 10
 * at a milestone shrinks the very next step by 10, as in PyTorch.
 *
 * <p>A bean with a no-argument constructor and setters so that DL4J's Jackson can save and restore it with a
 * checkpoint.
 */
public final class SgdMomentum implements IUpdater {

    private double learningRate = 0.1;
    private ISchedule learningRateSchedule;
    private double momentum = 0.9;

    public SgdMomentum() {
    }

    public SgdMomentum(ISchedule learningRateSchedule, double momentum) {
        this.learningRateSchedule = learningRateSchedule;
        this.learningRate = Double.NaN;
        this.momentum = momentum;
    }

    public SgdMomentum(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    public void setLearningRateSchedule(ISchedule learningRateSchedule) {
        this.learningRateSchedule = learningRateSchedule;
    }

    public double getMomentum() {
        return momentum;
    }

    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        SgdMomentumUpdater updater = new SgdMomentumUpdater(this);
        updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        SgdMomentumUpdater updater = new SgdMomentumUpdater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public SgdMomentum clone() {
        SgdMomentum copy = new SgdMomentum(learningRate, momentum);
        copy.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        return copy;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SgdMomentum other && Double.compare(other.learningRate, learningRate) == 0
                && Double.compare(other.momentum, momentum) == 0
                && Objects.equals(other.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum, learningRateSchedule);
    }

    @Override
    public String toString() {
        return "SgdMomentum(lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate)
                + ", momentum=" + momentum + ")";
    }
}
