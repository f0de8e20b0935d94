package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bnlab.spec.SettingKind.AddedLater;
import org.bnlab.spec.SettingKind.ReportOnly;

import java.util.List;
import java.util.Set;

/**
 * How a run is evaluated. After every epoch: top-1 accuracy and loss on the evaluation set in inference mode (BN
 * with its running statistics). After training, by {@code bnlab analyze} (or an experiment's analysis phase), in
 * each of {@code modes}:
 * <ul>
 *   <li>{@code running}: inference mode with the stored running mean and variance (what the epochs report);</li>
 *   <li>{@code batch}: BN normalises with the statistics of each test batch, at every size in
 *       {@code test_batch_sizes}; the model's running statistics are left untouched;</li>
 *   <li>{@code precise}: the running statistics replaced by the exact population mean and variance of each BN
 *       layer's input over {@code precise_batches} training batches without augmentation ("precise BN", Wu and
 *       Johnson 2021, "Rethinking 'Batch' in BatchNorm", section 3);</li>
 *   <li>{@code adabn}: on each shifted copy of the test set ({@code shifts} x {@code severities}), the accuracy
 *       with the source statistics and with the statistics re-estimated on the shifted images (AdaBN, Li et al.
 *       2016).</li>
 * </ul>
 *
 * <p>Each mode is registered in {@code org.bnlab.analysis.runner.Modes}; the settings only the analysis reads are
 * marked {@link AddedLater} and {@link ReportOnly}, which keeps them out of a run's id.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"batch_size", "target_accuracy", "modes", "test_batch_sizes", "precise_batches", "shifts",
        "severities", "calibration_bins"})
public record EvalSpec(
        @JsonPropertyDescription("images per evaluation batch in the running-statistics mode (the result does not "
                + "depend on it there)")
        int batchSize,
        @JsonPropertyDescription("the test accuracy (a fraction in (0, 1]) whose epochs and seconds to reach the "
                + "report shows")
        @ReportOnly double targetAccuracy,
        @JsonPropertyDescription("evaluation modes after training, a non-empty subset of "
                + SettingsTable.EVALUATION_MODES)
        @AddedLater @ReportOnly List<String> modes,
        @JsonPropertyDescription("test batch sizes of the `batch` mode, each >= 2 (one image has no variance)")
        @AddedLater @ReportOnly List<Integer> testBatchSizes,
        @JsonPropertyDescription("training batches (of `train.batch_size` images) over which `precise` re-estimates "
                + "the statistics, >= 1; fewer when the training set is smaller")
        @AddedLater @ReportOnly int preciseBatches,
        @JsonPropertyDescription("the distribution shifts of the `adabn` mode: brightness, contrast, gaussian_noise, "
                + "gaussian_blur (in the spirit of CIFAR-10-C, Hendrycks and Dietterich 2019)")
        @AddedLater @ReportOnly List<String> shifts,
        @JsonPropertyDescription("shift severities, each 1 to 5")
        @AddedLater @ReportOnly List<Integer> severities,
        @JsonPropertyDescription("equal-width confidence bins of the expected calibration error and the reliability "
                + "diagram (15, as Guo et al. 2017)")
        @AddedLater @ReportOnly int calibrationBins) {

    public static final String RUNNING = "running";
    public static final String BATCH = "batch";
    public static final String PRECISE = "precise";
    public static final String ADABN = "adabn";
    /** The evaluation modes, in the order they are run and reported. */
    public static final List<String> MODES = List.of(RUNNING, BATCH, PRECISE, ADABN);
    /** The shifts of the {@code adabn} mode. */
    public static final List<String> SHIFTS = List.of("brightness", "contrast", "gaussian_noise", "gaussian_blur");

    public static final EvalSpec DEFAULT = new EvalSpec(256, 0.4, List.of(RUNNING), List.of(2, 8, 32, 128, 1000),
            200, SHIFTS, List.of(1, 2, 3, 4, 5), 15);

    public EvalSpec {
        require(batchSize >= 1, "batch_size", "evaluation batch size must be at least 1, got " + batchSize);
        require(targetAccuracy > 0 && targetAccuracy <= 1, "target_accuracy",
                "target accuracy must be a fraction in (0, 1], got "
                + targetAccuracy + (targetAccuracy > 1 && targetAccuracy <= 100
                ? " (did you mean " + targetAccuracy / 100 + "?)" : ""));
        require(modes != null && !modes.isEmpty(), "modes", "give at least one evaluation mode of " + MODES);
        modes = List.copyOf(modes);
        for (String mode : modes) {
            require(MODES.contains(mode), "modes", "unknown evaluation mode '" + mode + "'; choose from " + MODES);
        }
        require(Set.copyOf(modes).size() == modes.size(), "modes", "evaluation modes repeat: " + modes);
        require(testBatchSizes != null && !testBatchSizes.isEmpty(), "test_batch_sizes",
                "give at least one test batch size");
        testBatchSizes = List.copyOf(testBatchSizes);
        for (int size : testBatchSizes) {
            require(size >= 2, "test_batch_sizes", "test batch sizes must be >= 2 (batch statistics of one image "
                    + "have no variance), got " + testBatchSizes);
        }
        require(preciseBatches >= 1, "precise_batches", "precise_batches must be >= 1, got " + preciseBatches);
        require(shifts != null && !shifts.isEmpty(), "shifts", "give at least one shift of " + SHIFTS);
        shifts = List.copyOf(shifts);
        for (String shift : shifts) {
            require(SHIFTS.contains(shift), "shifts", "unknown shift '" + shift + "'; choose from " + SHIFTS);
        }
        require(severities != null && !severities.isEmpty(), "severities", "give at least one severity (1 to 5)");
        severities = List.copyOf(severities);
        for (int s : severities) {
            require(s >= 1 && s <= 5, "severities", "severities must be 1 to 5, got " + severities);
        }
        require(calibrationBins >= 1, "calibration_bins", "calibration_bins must be >= 1, got " + calibrationBins);
    }

    /** The per-epoch settings with the defaults of the analysis. */
    public EvalSpec(int batchSize, double targetAccuracy) {
        this(batchSize, targetAccuracy, DEFAULT.modes, DEFAULT.testBatchSizes, DEFAULT.preciseBatches,
                DEFAULT.shifts, DEFAULT.severities, DEFAULT.calibrationBins);
    }
}
