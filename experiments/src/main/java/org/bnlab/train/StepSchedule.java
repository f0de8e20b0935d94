package org.bnlab.train;

import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The learning rate as a function of the iteration: {@code lr}, multiplied by {@code lrDecay} at each milestone
 * fraction of the run's total iterations; with a warm-up, {@code warmupLearningRate} for the first
 * {@code warmupIterations} (He et al. 2016, 4.2, for ResNet-110). Iteration-based, like the paper's 32k/48k of 64k, and because DL4J saves
 * the iteration count with a checkpoint, a resumed run lands on the same rate.
 */
public final class StepSchedule {

    private StepSchedule() {
    }

    public static MapSchedule of(TrainingSpec spec, int iterationsPerEpoch) {
        int total = iterationsPerEpoch * spec.epochs();
        Map<Integer, Double> rates = new HashMap<>();
        // decimal arithmetic, so that 0.1 / 10 is recorded as 0.01 and not 0.010000000000000002
        BigDecimal rate = BigDecimal.valueOf(spec.learningRate());
        rates.put(0, spec.warmupIterations() > 0 ? spec.warmupLearningRate() : rate.doubleValue());
        if (spec.warmupIterations() > 0) {
            rates.put(spec.warmupIterations(), rate.doubleValue());
        }
        for (double milestone : spec.milestones()) {
            rate = rate.multiply(BigDecimal.valueOf(spec.lrDecay()));
            rates.put(Math.max(1, (int) Math.floor(milestone * total)), rate.doubleValue());
        }
        return new MapSchedule(ScheduleType.ITERATION, rates);
    }
}
