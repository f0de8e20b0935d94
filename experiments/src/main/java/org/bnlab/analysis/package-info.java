/**
 * Inference-phase analysis of a trained network, the computation (issue 14): forward passes with the running
 * statistics and with batch statistics ({@link org.bnlab.analysis.ForwardPasses}), re-estimated population
 * statistics ("precise BN", Wu and Johnson 2021, and AdaBN, Li et al. 2016:
 * {@link org.bnlab.analysis.PreciseBatchNorm}), per-model metrics (accuracy, loss, per-class accuracy, confidence,
 * expected calibration error, Guo et al. 2017) and per-pair metrics (agreement, KL divergence), and the files a run's {@code analysis/} folder holds
 * ({@link org.bnlab.analysis.AnalysisFolder}, {@link org.bnlab.analysis.AnalysisRow}). It works on a network and
 * batches, knows nothing of results folders or experiment files, and depends on the data, model, train, io and
 * results packages only; the report reads its files.
 *
 * <p>Its sub-package {@link org.bnlab.analysis.runner} runs it over a results folder ({@code bnlab analyze}): the
 * evaluation modes and the loop over the finished runs. The names say it: {@code analysis} computes, its
 * {@code runner} runs the computation over the runs of a folder.
 */
package org.bnlab.analysis;
