package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * A step schedule: the learning rate is multiplied by {@code factor} at each milestone, a fraction of the run's
 * iterations (He et al. 2016: divided by 10 at 32k and 48k of 64k iterations, i.e. 0.5 and 0.75).
 *
 * With a warm-up, the first {@code warmupIterations} run at {@code warmupLearningRate} (He et al. 2016, 4.2:
 * ResNet-110 starts at 0.01 for 400 iterations, "until the training error is below 80%", then goes back to 0.1), or,
 * with {@code warmupType} {@code linear}, at a rate rising linearly from {@code warmupLearningRate} to the target over
 * them (Goyal et al. 2017, "Accurate, Large Minibatch SGD", 2.2, their "gradual warmup").
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"milestones", "factor", "warmup_iterations", "warmup_learning_rate", "warmup_type"})
public record ScheduleSpec(
        @JsonPropertyDescription("ascending fractions of the run's iterations, each in (0, 1)")
        List<Double> milestones,
        @JsonPropertyDescription("the multiplier applied at each milestone, in (0, 1]")
        double factor,
        @JsonPropertyDescription("iterations at the warm-up rate at the start; 0 = none")
        int warmupIterations,
        @JsonPropertyDescription("the warm-up rate, positive (used only with a warm-up): the constant rate, or where "
                + "the linear rise starts")
        double warmupLearningRate,
        @JsonPropertyDescription("`constant` (He et al.) or `linear` (Goyal et al.: iteration i < W of the warm-up "
                + "runs at start + (target - start) * i / W)")
        String warmupType) {

    public static final String CONSTANT = "constant";
    public static final String LINEAR = "linear";

    public static final ScheduleSpec DEFAULT = new ScheduleSpec(List.of(0.5, 0.75), 0.1, 0, 0.01, CONSTANT);

    public ScheduleSpec {
        require(milestones != null, "milestones", "milestones must be given (an empty list for a constant rate)");
        milestones = List.copyOf(milestones);
        double previous = 0;
        for (double m : milestones) {
            require(m > previous && m < 1, "milestones",
                    "learning-rate milestones must be ascending fractions in (0, 1), got "
                    + milestones);
            previous = m;
        }
        require(factor > 0 && factor <= 1, "factor", "learning-rate factor must be in (0, 1], got " + factor);
        require(warmupIterations >= 0, "warmup_iterations", "warm-up iterations must be >= 0, got " + warmupIterations);
        require(warmupLearningRate > 0 && Double.isFinite(warmupLearningRate), "warmup_learning_rate",
                "warm-up learning rate must be positive, got " + warmupLearningRate);
        require(CONSTANT.equals(warmupType) || LINEAR.equals(warmupType), "warmup_type",
                "warm-up type must be " + CONSTANT + " or " + LINEAR + ", got " + warmupType);
    }

    /** A constant warm-up (He et al.), or none with {@code warmupIterations} 0. */
    public ScheduleSpec(List<Double> milestones, double factor, int warmupIterations, double warmupLearningRate) {
        this(milestones, factor, warmupIterations, warmupLearningRate, CONSTANT);
    }
}
