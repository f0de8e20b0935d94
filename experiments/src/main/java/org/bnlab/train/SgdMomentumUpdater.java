package org.bnlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

import java.util.Collections;
import java.util.Map;

/** The state and step of {@link SgdMomentum}: one velocity per parameter. */
final class SgdMomentumUpdater implements GradientUpdater<SgdMomentum> {

    static final String VELOCITY = "V";

    private final SgdMomentum config;
    private INDArray velocity;

    SgdMomentumUpdater(SgdMomentum config) {
        this.config = config;
    }

    @Override
    public SgdMomentum getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap.size() != 1 || !stateMap.containsKey(VELOCITY)) {
            throw new IllegalStateException("SgdMomentum state must hold only '" + VELOCITY + "', got " + stateMap.keySet());
        }
        velocity = stateMap.get(VELOCITY);
        if (initialize) {
            velocity.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Collections.singletonMap(VELOCITY, velocity);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        velocity = Shape.newShapeNoCopy(viewArray, gradientShape, gradientOrder == 'f');
        if (velocity == null) {
            throw new IllegalStateException("could not shape the momentum state like the gradient");
        }
    }

    /** Turns the gradient, in place, into the step DL4J subtracts from the parameters: {@code lr * v}. */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (velocity == null) {
            throw new IllegalStateException("SgdMomentum used before its state was set");
        }
        INDArray g = java.util.Arrays.equals(gradient.shape(), velocity.shape()) ? gradient : gradient.reshape(velocity.shape());
        velocity.muli(config.getMomentum()).addi(g);
        // g = lr * v in one op (a network has dozens of small updater blocks, each op costs a native call)
        Nd4j.exec(new ScalarMultiplication(velocity, null, g, config.getLearningRate(iteration, epoch)));
    }
}
