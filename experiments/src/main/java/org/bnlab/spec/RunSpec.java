package org.bnlab.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * Everything that defines one training run: the single source of every setting and its default. It is what an
 * experiment file's {@code base}, {@code grid} and {@code --set} change (by dotted path, e.g.
 * {@code train.learning_rate} or {@code model.normalization.decay}), what a run's {@code config.json} holds
 * (resolved, so that a run can be re-run from it), and what a run's identity hash is computed from.
 *
 * <p>Its JSON and YAML form uses snake_case names; {@link SpecCodec} reads and writes it and rejects unknown keys,
 * wrong types and impossible values with the key path.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"data", "model", "train", "eval", "measure", "execution", "seed"})
public record RunSpec(
        @JsonPropertyDescription("which images, how they are cut")
        DataSpec data,
        @JsonPropertyDescription("the network")
        ModelSpec model,
        @JsonPropertyDescription("the optimisation recipe")
        TrainSpec train,
        @JsonPropertyDescription("how the network is evaluated after every epoch")
        EvalSpec eval,
        @JsonPropertyDescription("what is recorded besides the metrics")
        MeasureSpec measure,
        @JsonPropertyDescription("how the computation runs (layout, kernels): the same function either way, applied "
                + "by the runner")
        ExecutionSpec execution,
        @JsonPropertyDescription("seeds the weights, the data order and the augmentation (and a held-out validation "
                + "split)")
        long seed) {

    /** The defaults: ResNet-20 with BN on a CIFAR-10 subset, He et al. 2016's recipe for 4 epochs, seed 42. */
    public static final RunSpec DEFAULT = new RunSpec(DataSpec.DEFAULT, ModelSpec.DEFAULT, TrainSpec.DEFAULT,
            EvalSpec.DEFAULT, MeasureSpec.DEFAULT, ExecutionSpec.DEFAULT, 42);

    public RunSpec {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(eval, "eval");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(execution, "execution");
        Checks.require(data.batchClasses() == 0 || train.batchSize() % data.batchClasses() == 0,
                "data.batch_classes", data.batchClasses() + " classes per batch do not divide train.batch_size "
                        + train.batchSize() + " (each batch holds equally many images of each class)");
    }

    public RunSpec withSeed(long value) {
        return new RunSpec(data, model, train, eval, measure, execution, value);
    }
}
