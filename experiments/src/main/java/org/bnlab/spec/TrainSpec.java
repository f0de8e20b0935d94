package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bnlab.train.Optimizer;

import java.util.Objects;

/**
 * The optimisation recipe: by default SGD with classical momentum (PyTorch's form) and L2 weight decay on
 * convolution, dense and classifier weights (never on biases or on BN's gamma and beta), He et al. 2016, section
 * 4.2; or Adam with the same schedule and weight decay.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"epochs", "batch_size", "optimizer", "learning_rate", "momentum", "weight_decay", "schedule",
        "divergence_factor", "groups", "phases"})
public record TrainSpec(
        @JsonPropertyDescription("passes over the training set, at least 1")
        int epochs,
        @JsonPropertyDescription("images per step, at least 1")
        int batchSize,
        @JsonPropertyDescription("`sgd` (with `momentum`) or `adam` (beta1 0.9, beta2 0.999, epsilon 1e-8, Kingma "
                + "and Ba 2015; `momentum` does not apply and must stay at 0.9)")
        Optimizer optimizer,
        @JsonPropertyDescription("the initial learning rate, positive")
        double learningRate,
        @JsonPropertyDescription("sgd: classical momentum in [0, 1)")
        double momentum,
        @JsonPropertyDescription("L2 weight decay, >= 0, for either optimizer (added to the gradient); never on "
                + "biases, nor on the normalization's gamma and beta unless `groups.batchnorm.weight_decay` says so")
        double weightDecay,
        @JsonPropertyDescription("how the learning rate changes over the run")
        ScheduleSpec schedule,
        @JsonPropertyDescription("a run is stopped as diverged when a batch's loss is NaN or infinite, or exceeds "
                + "this many times its reference (the larger of ln(classes) and the run's first batch loss); > 1")
        double divergenceFactor,
        @JsonPropertyDescription("per-parameter-group trainability, learning rate, schedule and weight decay (BN's "
                + "gamma and beta; every other weight); the default is the shared recipe")
        GroupsSpec groups,
        @JsonPropertyDescription("null: every trainable group trains in every epoch; else the groups train in turn")
        PhasesSpec phases) {

    private static final double DEFAULT_MOMENTUM = 0.9;

    public static final TrainSpec DEFAULT = new TrainSpec(4, 128, Optimizer.SGD, 0.1, DEFAULT_MOMENTUM, 1e-4,
            ScheduleSpec.DEFAULT, 1000, GroupsSpec.DEFAULT, null);

    public TrainSpec {
        require(epochs >= 1, "epochs", "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batch_size", "batch size must be at least 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate",
                "learning rate must be positive, got "
                + learningRate);
        Objects.requireNonNull(optimizer, "optimizer");
        require(momentum >= 0 && momentum < 1, "momentum", "momentum must be in [0, 1), got " + momentum);
        require(optimizer == Optimizer.SGD || momentum == DEFAULT_MOMENTUM, "momentum",
                "momentum applies to optimizer sgd only; adam uses beta1 0.9 and beta2 0.999 (leave momentum at 0.9),"
                        + " got " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay",
                "weight decay must be >= 0, got " + weightDecay);
        Objects.requireNonNull(schedule, "schedule");
        require(divergenceFactor > 1, "divergence_factor", "divergence factor must be > 1, got " + divergenceFactor);
        Objects.requireNonNull(groups, "groups");
        require(phases == null || (groups.batchnorm().trainable() && groups.weights().trainable()), "phases",
                "alternating phases need both groups trainable (train.groups.*.trainable: true)");
    }

    /** With the default groups (the shared recipe for every parameter). */
    public TrainSpec(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                     double weightDecay, ScheduleSpec schedule, double divergenceFactor) {
        this(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule, divergenceFactor,
                GroupsSpec.DEFAULT, null);
    }

    public TrainSpec withGroups(GroupsSpec value) {
        return new TrainSpec(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule,
                divergenceFactor, value, phases);
    }
}
