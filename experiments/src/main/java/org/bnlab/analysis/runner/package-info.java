/**
 * {@code bnlab analyze}: the inference-phase comparison over a results folder's finished runs, from their
 * checkpoints ({@link org.bnlab.analysis.runner.Analyzer}); on top of the experiment, analysis and report packages.
 */
package org.bnlab.analysis.runner;
