/**
 * {@code bnlab analyze}: runs the {@linkplain org.bnlab.analysis analysis} over a results folder's finished runs,
 * from their checkpoints ({@link org.bnlab.analysis.runner.Analyzer}), in the evaluation modes of each run's
 * {@code eval.modes}; on top of the experiment, analysis and report.plot packages.
 *
 * <h2>Adding an evaluation mode</h2>
 * A mode is an {@link org.bnlab.analysis.runner.EvaluationMode} registered by one line in
 * {@link org.bnlab.analysis.runner.Modes#ALL}. It takes three files outside its tests:
 * <ol>
 *   <li>its name in {@link org.bnlab.spec.EvalSpec#MODES} (the one list of mode names: the order they run in, what
 *       {@code eval.modes} accepts and the settings table lists) and its settings as components of
 *       {@link org.bnlab.spec.EvalSpec} (YAML keys {@code eval.*}), marked
 *       {@link org.bnlab.spec.SettingKind.AddedLater} and {@link org.bnlab.spec.SettingKind.ReportOnly} (so they are
 *       no part of a run's id and {@code bnlab analyze --set} accepts them);</li>
 *   <li>the mode class: {@code settings} (the values its result depends on, for its done-marker, so an analysis with
 *       other settings recomputes it) and {@code evaluate}, which uses the run's network, data and helpers in
 *       {@link org.bnlab.analysis.runner.RunEvaluation} and returns {@link org.bnlab.analysis.AnalysisRow}s (its
 *       table columns: {@code statistics} says what BN normalised with, the key columns
 *       {@link org.bnlab.analysis.AnalysisRow#KEY_COLUMNS} where it evaluated); the report's analysis tables group
 *       them with the other modes' rows by those columns;</li>
 *   <li>the registration line in {@link org.bnlab.analysis.runner.Modes#ALL}.</li>
 * </ol>
 * For example (issue 23) a mode {@code noise_off} that evaluates a noisy-BN network with its noise switched off and
 * on: {@code NoiseOffMode} with rows of statistics {@code noisy} and {@code clean}, its name in {@code EvalSpec.MODES}.
 */
package org.bnlab.analysis.runner;
