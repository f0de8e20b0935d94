package org.bnlab.train;

import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The learning rate as a function of the iteration: {@code lr}, multiplied by {@code lrDecay} at each milestone
 * fraction of the run's total iterations; with a warm-up, {@code warmupLearningRate} for the first
 * {@code warmupIterations} (He et al. 2016, 4.2, for ResNet-110), or with a linear warm-up a rate rising from
 * {@code warmupLearningRate} at iteration 0 by equal steps to {@code lr} at iteration {@code warmupIterations}
 * (Goyal et al. 2017, 2.2). Iteration-based, like the paper's 32k/48k of 64k, and because DL4J saves
 * the iteration count with a checkpoint, a resumed run lands on the same rate.
 */
public final class StepSchedule {

    private StepSchedule() {
    }

    public static MapSchedule of(TrainingRecipe spec, int iterationsPerEpoch) {
        int total = iterationsPerEpoch * spec.epochs();
        Map<Integer, Double> rates = new HashMap<>();
        // decimal arithmetic, so that 0.1 / 10 is recorded as 0.01 and not 0.010000000000000002
        BigDecimal rate = BigDecimal.valueOf(spec.learningRate());
        rates.put(0, spec.warmupIterations() > 0 ? spec.warmupLearningRate() : rate.doubleValue());
        if (spec.warmupIterations() > 0) {
            rates.put(spec.warmupIterations(), rate.doubleValue());
        }
        if (spec.warmupIterations() > 0 && spec.linearWarmup()) {
            BigDecimal start = BigDecimal.valueOf(spec.warmupLearningRate());
            BigDecimal rise = rate.subtract(start);
            BigDecimal steps = BigDecimal.valueOf(spec.warmupIterations());
            for (int i = 1; i < spec.warmupIterations(); i++) {
                rates.put(i, start.add(rise.multiply(BigDecimal.valueOf(i)).divide(steps, java.math.MathContext.DECIMAL64))
                        .doubleValue());
            }
        }
        for (double milestone : spec.milestones()) {
            rate = rate.multiply(BigDecimal.valueOf(spec.lrDecay()));
            rates.put(Math.max(1, (int) Math.floor(milestone * total)), rate.doubleValue());
        }
        return new MapSchedule(ScheduleType.ITERATION, rates);
    }
}
