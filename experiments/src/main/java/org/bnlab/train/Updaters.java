package org.bnlab.train;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The update rules of a run: the shared one from its {@link TrainingRecipe}, and each parameter group's own
 * ({@link ParameterGroups}) from its settings.
 */
public final class Updaters {

    private Updaters() {
    }

    /**
     * The update rule with the run's learning-rate schedule: {@link SgdMomentum} with the recipe's momentum, or DL4J's
     * {@link Adam} with beta1 0.9, beta2 0.999 and epsilon 1e-8 (Kingma and Ba 2015).
     */
    public static IUpdater updater(Optimizer kind, TrainingRecipe training, int batchesPerEpoch) {
        return updater(kind, StepSchedule.of(training, batchesPerEpoch), training.momentum());
    }

    /**
     * One group's settings for the network: its own update rule when it has its own learning rate or schedule (an
     * exponential schedule: {@code lr * decay^epoch}; otherwise the shared step schedule from its learning rate), its
     * own weight decay when it sets one.
     *
     * @param trainable     false: frozen (the other settings are ignored)
     * @param learningRate  the group's own initial learning rate; null = the recipe's
     * @param decayPerEpoch the group's own exponential schedule's factor per epoch; null = the shared step schedule
     * @param weightDecay   L2 on the group's weights; null = the shared one
     */
    public static ParameterGroups.Group group(boolean trainable, Double learningRate, Double decayPerEpoch,
                                              Double weightDecay, Optimizer kind, TrainingRecipe training,
                                              int batchesPerEpoch) {
        if (!trainable) {
            return new ParameterGroups.Group(false, null, null);
        }
        IUpdater updater = null;
        double lr = learningRate != null ? learningRate : training.learningRate();
        if (decayPerEpoch != null) {
            updater = updater(kind, new ExponentialSchedule(ScheduleType.EPOCH, lr, decayPerEpoch),
                    training.momentum());
        } else if (learningRate != null) {
            updater = updater(kind, training.withLearningRate(lr), batchesPerEpoch);
        }
        return new ParameterGroups.Group(true, updater, weightDecay);
    }

    /**
     * A trainable group that updates only in its own phase ({@link Phased}): phase {@code phase} of {@code phases},
     * each {@code everyEpochs} long; {@code shared} is the update rule when the group has none of its own.
     */
    public static ParameterGroups.Group phased(ParameterGroups.Group group, int everyEpochs, int phase, int phases,
                                               IUpdater shared) {
        IUpdater inner = group.updater() != null ? group.updater() : shared;
        return new ParameterGroups.Group(true, new Phased(inner.clone(), everyEpochs, phase, phases),
                group.weightDecay());
    }

    private static IUpdater updater(Optimizer kind, ISchedule schedule, double momentum) {
        return switch (kind) {
            case SGD -> new SgdMomentum(schedule, momentum);
            case ADAM -> Adam.builder().learningRateSchedule(schedule).beta1(0.9).beta2(0.999).epsilon(1e-8).build();
        };
    }
}
