package org.bnlab.results;

import java.util.Objects;


/**
 * The outcome of a finished run: the content of {@code summary.json}.
 *
 * <p>JSON names are the snake_case forms of the component names ({@code diverged_epoch},
 * {@code final_test_accuracy}, ...), see {@link SummaryJson}. The descriptive fields
 * ({@code model}, {@code normalization}, ...) are plain strings rather than enums so that this
 * package does not depend on the model code and can read summaries written by any version of it.
 *
 * @param run               the run id (normally the run folder's name)
 * @param status            completed or diverged
 * @param divergedEpoch     the 1-based epoch in which training diverged; null unless diverged
 * @param divergedReason    e.g. {@code loss became NaN at iteration 37}; null unless diverged
 * @param dataset           e.g. {@code cifar10}
 * @param model             e.g. {@code resnet20} or {@code mlp-784-256-10}
 * @param depth             network depth: layers with weights, e.g. 20 (an MLP: hidden layers + 1)
 * @param shortcut          {@code A} (zero-padded identity) or {@code B} (1x1 projection); {@code -} for an MLP
 * @param normalization     the normalizer's label ({@code model.normalization}'s type): {@code batchnorm} or
 *                          {@code none}
 * @param init              {@code he} or {@code zero-residual}
 * @param learningRate      the initial learning rate
 * @param batchSize         minibatch size
 * @param epochsPlanned     epochs the run was configured for
 * @param epochsCompleted   epochs that finished (a diverged epoch does not count)
 * @param seed              random seed
 * @param trainImages       training images used
 * @param testImages        test images used
 * @param finalTestAccuracy test accuracy (0..1) after the last completed epoch; null if none completed
 * @param bestTestAccuracy  best test accuracy (0..1) over completed epochs; null if none completed
 * @param totalSeconds      wall-clock seconds for the whole run
 */
public record RunSummary(
        String run,
        RunStatus status,
        Integer divergedEpoch,
        String divergedReason,
        String dataset,
        String model,
        int depth,
        String shortcut,
        String normalization,
        String init,
        double learningRate,
        int batchSize,
        int epochsPlanned,
        int epochsCompleted,
        long seed,
        int trainImages,
        int testImages,
        Double finalTestAccuracy,
        Double bestTestAccuracy,
        double totalSeconds) {

    public RunSummary {
        // Checked here so that a summary missing one of these fails where it is read, naming the file,
        // instead of later as a NullPointerException deep inside a report.
        Objects.requireNonNull(run, "run must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(dataset, "dataset must not be null");
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(shortcut, "shortcut must not be null");
        Objects.requireNonNull(normalization, "normalization must not be null");
        Objects.requireNonNull(init, "init must not be null");
        if (!status.isFinished()) {
            throw new IllegalArgumentException("a summary's status is completed or diverged, not "
                    + status.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (status == RunStatus.DIVERGED && divergedEpoch == null) {
            throw new IllegalArgumentException("a diverged run needs diverged_epoch");
        }
        if (status == RunStatus.COMPLETED && divergedEpoch != null) {
            throw new IllegalArgumentException("a completed run cannot have diverged_epoch " + divergedEpoch);
        }
    }
}
