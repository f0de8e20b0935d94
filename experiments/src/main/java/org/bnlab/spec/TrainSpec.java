package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * The optimisation recipe: SGD with classical momentum (PyTorch's form) and L2 weight decay on convolution and
 * classifier weights (never on BN's gamma and beta), He et al. 2016, section 4.2.
 *
 * @param epochs           passes over the training set, at least 1
 * @param batchSize        images per step, at least 1
 * @param learningRate     the initial learning rate, positive
 * @param momentum         classical momentum in [0, 1)
 * @param weightDecay      L2 weight decay, >= 0
 * @param schedule         how the learning rate changes over the run
 * @param divergenceFactor a run is stopped as diverged when a batch's loss is NaN or infinite, or exceeds this many
 *                         times its reference (the larger of ln(classes) and the run's first batch loss); > 1
 */
@JsonPropertyOrder({"epochs", "batch_size", "learning_rate", "momentum", "weight_decay", "schedule",
        "divergence_factor"})
public record TrainSpec(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                        ScheduleSpec schedule, double divergenceFactor) {

    public static final TrainSpec DEFAULT = new TrainSpec(4, 128, 0.1, 0.9, 1e-4, ScheduleSpec.DEFAULT, 1000);

    public TrainSpec {
        require(epochs >= 1, "epochs", "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batch_size", "batch size must be at least 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate",
                "learning rate must be positive, got "
                + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum", "momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay",
                "weight decay must be >= 0, got " + weightDecay);
        Objects.requireNonNull(schedule, "schedule");
        require(divergenceFactor > 1, "divergence_factor", "divergence factor must be > 1, got " + divergenceFactor);
    }
}
