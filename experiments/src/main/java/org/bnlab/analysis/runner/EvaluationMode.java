package org.bnlab.analysis.runner;

import org.bnlab.analysis.AnalysisRow;
import org.bnlab.spec.RunSpec;

import java.util.List;

/**
 * One evaluation mode of {@code bnlab analyze} ({@code running}, {@code batch}, {@code precise}, {@code adabn}):
 * how it evaluates a trained run and which settings its result depends on. Registered by one line in
 * {@link Modes#ALL}; its name (and its settings, if it has any) are declared in {@link org.bnlab.spec.EvalSpec}.
 * Its rows are {@link AnalysisRow}s, written to {@code <run>/analysis/rows-<name>.csv} and read by the report's
 * analysis tables with their columns ({@link AnalysisRow#KEY_COLUMNS} say what a row's evaluation is).
 */
public interface EvaluationMode {

    /** The mode's name in {@code eval.modes} and in the analysis files, e.g. {@code precise}. */
    String name();

    /**
     * The settings the mode's rows depend on beyond the checkpoint and the calibration bins, as
     * {@code " key=value"} pairs (each with a leading space), or "" for none; recorded in the mode's marker, so that
     * an analysis with other settings recomputes the mode.
     */
    String settings(RunSpec spec);

    /**
     * Evaluates the run's trained network in this mode; writes any files of its own into the run's analysis folder
     * ({@link RunEvaluation#folder}) and prints a line per evaluation.
     *
     * @return the mode's rows, in the order they are reported
     */
    List<AnalysisRow> evaluate(RunEvaluation run);
}
