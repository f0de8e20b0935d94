package org.bnlab.train;

import org.bnlab.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(Backend.class)
class SgdMomentumTest {

    /** PyTorch: v = mu * v + g; p -= lr * v. DL4J subtracts what the updater leaves in the gradient array. */
    @Test
    void stepsAreClassicalMomentumInPyTorchForm() {
        SgdMomentum config = new SgdMomentum(new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.1, 2, 0.01)), 0.9);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        GradientUpdater<?> updater = config.instantiate(state, true);

        double[] g = {1.0, -2.0};
        double[] v = {0, 0};
        double[] lr = {0.1, 0.1, 0.01};
        for (int it = 0; it < 3; it++) {
            INDArray gradient = Nd4j.createFromArray(g).reshape(1, 2);
            updater.applyUpdater(gradient, it, 0);
            for (int i = 0; i < 2; i++) {
                v[i] = 0.9 * v[i] + g[i];
                assertEquals(lr[it] * v[i], gradient.getDouble(0, i), 1e-12, "iteration " + it);
            }
        }
        assertEquals(v[0], state.getDouble(0, 0), 1e-12, "the velocity lives in the updater state view");
    }

    @Test
    void survivesDl4jJsonRoundTripWithItsSchedule() {
        TrainingRecipe spec = TrainingRecipe.paper(4, 1);
        SgdMomentum config = new SgdMomentum(StepSchedule.of(spec, 10), 0.9);
        String json = org.nd4j.serde.json.JsonMappers.getMapper().valueToTree(config).toString();
        SgdMomentum back = org.nd4j.serde.json.JsonMappers.getMapper().convertValue(
                org.nd4j.serde.json.JsonMappers.getMapper().valueToTree(config), SgdMomentum.class);
        assertEquals(config, back, json);
        assertEquals(0.001, back.getLearningRate(35, 0), 1e-12);
    }

    @Test
    void scheduleDividesByTenAtHalfAndThreeQuarters() {
        MapSchedule schedule = StepSchedule.of(TrainingRecipe.paper(4, 1), 10); // 40 iterations
        assertEquals(0.1, schedule.valueAt(0, 0), 1e-12);
        assertEquals(0.1, schedule.valueAt(19, 0), 1e-12);
        assertEquals(0.01, schedule.valueAt(20, 0), 1e-12);
        assertEquals(0.01, schedule.valueAt(29, 0), 1e-12);
        assertEquals(0.001, schedule.valueAt(30, 0), 1e-12);
        assertEquals(0.001, schedule.valueAt(39, 0), 1e-12);
    }

    /** He et al. 2016, 4.2: 0.01 for the first 400 iterations of ResNet-110, then 0.1. */
    @Test
    void aConstantWarmUpHoldsItsRateThenJumpsToTheTarget() {
        TrainingRecipe spec = new TrainingRecipe(0.1, 0.9, 1e-4, 128, 10, List.of(0.5), 0.1, 1, 1000, 400, 0.01, false);
        MapSchedule schedule = StepSchedule.of(spec, 100); // 1,000 iterations
        assertEquals(0.01, schedule.valueAt(0, 0), 1e-12);
        assertEquals(0.01, schedule.valueAt(399, 0), 1e-12);
        assertEquals(0.1, schedule.valueAt(400, 0), 1e-12);
        assertEquals(0.01, schedule.valueAt(500, 0), 1e-12);
    }

    /** Goyal et al. 2017, 2.2: the rate rises linearly from the start value to the target over the warm-up. */
    @Test
    void aLinearWarmUpRisesByEqualStepsToTheTarget() {
        TrainingRecipe spec = new TrainingRecipe(0.1, 0.9, 1e-4, 128, 10, List.of(0.5), 0.1, 1, 1000, 4, 0.02, true);
        MapSchedule schedule = StepSchedule.of(spec, 100);
        double[] want = {0.02, 0.04, 0.06, 0.08, 0.1, 0.1};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], schedule.valueAt(i, 0), 1e-15, "iteration " + i);
        }
        assertEquals(0.1, schedule.valueAt(499, 0), 1e-12);
        assertEquals(0.01, schedule.valueAt(500, 0), 1e-12, "the milestones are as without a warm-up");
    }

    @Test
    void impossibleRecipesAreRefused() {
        TrainingRecipe ok = TrainingRecipe.paper(2, 1);
        assertThrows(IllegalArgumentException.class, () -> ok.withEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> ok.withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> ok.withLearningRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new TrainingRecipe(0.1, 1.0, 1e-4, 128, 2,
                List.of(0.5), 0.1, 1, 1000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingRecipe(0.1, 0.9,
                1e-4, 128, 2, List.of(0.75, 0.5), 0.1, 1, 1000));
        assertTrue(e.getMessage().contains("ascending"), e.getMessage());
    }
}
