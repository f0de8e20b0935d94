package org.bnlab.measure;

import org.bnlab.train.TrainingRecorder;

import java.util.List;
import java.util.Optional;

/**
 * One kind of per-run measurement (activation statistics, the probe, ...): what plugs it into training and into the
 * report. A measurement is registered by one line in {@link Measurements#ALL}; see the package documentation for
 * what else it needs (its settings under {@code measure.*} in {@link org.bnlab.spec.MeasureSpec}, its record file as
 * a {@link org.bnlab.results.RecordFile} constant).
 */
public interface Measurement {

    /** A short name for messages and docs, e.g. {@code probe}. */
    String name();

    /**
     * The recorder that takes this measurement during one run, or empty when the run's settings turn it off (then
     * the run writes no record file for it).
     */
    Optional<TrainingRecorder> recorder(RecordingContext run);

    /**
     * This measurement's part of the experiment report over the finished runs (tables, plots, a Markdown section),
     * read from their record files alone; {@link MeasurementReport#NONE} when it adds nothing.
     *
     * @param experiment the results folder's name, for plot titles
     * @param runs       the finished runs, in the report's order
     */
    default MeasurementReport report(String experiment, List<MeasuredRun> runs) {
        return MeasurementReport.NONE;
    }
}
