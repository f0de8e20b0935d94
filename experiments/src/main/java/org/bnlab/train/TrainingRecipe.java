package org.bnlab.train;

import java.util.List;

/**
 * How one network is trained. Defaults are He et al. 2016's CIFAR recipe: SGD, momentum 0.9, weight decay 1e-4,
 * batch 128, learning rate 0.1 divided by 10 at 50% and 75% of the run (their 32k and 48k of 64k iterations).
 *
 * @param learningRate      initial learning rate
 * @param momentum          classical momentum
 * @param weightDecay       L2 penalty on weights
 * @param batchSize         images per step
 * @param epochs            passes over the training set
 * @param milestones        fractions of the run's iterations at which the learning rate is multiplied by
 *                          {@code lrDecay}, ascending, each in (0, 1)
 * @param lrDecay           the factor applied at each milestone
 * @param seed              seeds weights, data order and augmentation
 * @param divergenceFactor  a run is stopped as diverged when a batch's loss is NaN or infinite, or exceeds this
 *                          many times its reference (the larger of ln(classes) and the run's first batch loss)
 * @param warmupIterations  the first iterations run at {@code warmupLearningRate} instead (He et al. 2016, 4.2:
 *                          ResNet-110 at 0.01 for its first 400 iterations); 0 = no warm-up
 * @param warmupLearningRate the learning rate during warm-up (ignored without one); with {@code linearWarmup}, the
 *                          rate of iteration 0, from which it rises linearly to {@code learningRate}
 * @param linearWarmup      the warm-up rises linearly (Goyal et al. 2017, 2.2) instead of holding its rate
 */
public record TrainingRecipe(double learningRate, double momentum, double weightDecay, int batchSize, int epochs,
                           List<Double> milestones, double lrDecay, long seed, double divergenceFactor,
                           int warmupIterations, double warmupLearningRate, boolean linearWarmup) {

    public static final List<Double> PAPER_MILESTONES = List.of(0.5, 0.75);

    public TrainingRecipe {
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
        require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        milestones = List.copyOf(milestones);
        double previous = 0;
        for (double m : milestones) {
            require(m > previous && m < 1, "learning-rate milestones must be ascending fractions in (0, 1), got "
                    + milestones);
            previous = m;
        }
        require(lrDecay > 0 && lrDecay <= 1, "learning-rate decay factor must be in (0, 1], got " + lrDecay);
        require(divergenceFactor > 1, "divergence factor must be > 1, got " + divergenceFactor);
        require(warmupIterations >= 0, "warm-up iterations must be >= 0, got " + warmupIterations);
        require(warmupIterations == 0 || (warmupLearningRate > 0 && Double.isFinite(warmupLearningRate)),
                "warm-up learning rate must be positive, got " + warmupLearningRate);
    }

    /** Without warm-up. */
    public TrainingRecipe(double learningRate, double momentum, double weightDecay, int batchSize, int epochs,
                        List<Double> milestones, double lrDecay, long seed, double divergenceFactor) {
        this(learningRate, momentum, weightDecay, batchSize, epochs, milestones, lrDecay, seed, divergenceFactor, 0, 0,
                false);
    }

    /** The paper's recipe for the given number of epochs. */
    public static TrainingRecipe paper(int epochs, long seed) {
        return new TrainingRecipe(0.1, 0.9, 1e-4, 128, epochs, PAPER_MILESTONES, 0.1, seed, 1000);
    }

    public TrainingRecipe withLearningRate(double value) {
        return new TrainingRecipe(value, momentum, weightDecay, batchSize, epochs, milestones, lrDecay, seed,
                divergenceFactor, warmupIterations, warmupLearningRate, linearWarmup);
    }

    public TrainingRecipe withEpochs(int value) {
        return new TrainingRecipe(learningRate, momentum, weightDecay, batchSize, value, milestones, lrDecay, seed,
                divergenceFactor, warmupIterations, warmupLearningRate, linearWarmup);
    }

    public TrainingRecipe withBatchSize(int value) {
        return new TrainingRecipe(learningRate, momentum, weightDecay, value, epochs, milestones, lrDecay, seed,
                divergenceFactor, warmupIterations, warmupLearningRate, linearWarmup);
    }

    public TrainingRecipe withSeed(long value) {
        return new TrainingRecipe(learningRate, momentum, weightDecay, batchSize, epochs, milestones, lrDecay, value,
                divergenceFactor, warmupIterations, warmupLearningRate, linearWarmup);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
