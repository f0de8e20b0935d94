/**
 * Inference-phase analysis of a trained network (issue 14): evaluation with the running statistics, with batch
 * statistics at chosen test batch sizes, with re-estimated population statistics ("precise BN", Wu and Johnson 2021)
 * and with statistics re-estimated on shifted data (AdaBN, Li et al. 2016); per-model metrics (accuracy, loss,
 * per-class accuracy, confidence, expected calibration error, Guo et al. 2017) and per-pair metrics (agreement, KL
 * divergence), and the files a run's {@code analysis/} folder holds. Depends on the data, model, train and results
 * packages only; the report reads its files, and {@code org.bnlab.analysis.runner} runs it over a results folder.
 */
package org.bnlab.analysis;
