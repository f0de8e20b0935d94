/**
 * {@code bnlab analyze}: the inference-phase comparison over a results folder's finished runs, from their
 * checkpoints ({@link org.bnlab.analyze.Analyzer}); on top of the experiment, analysis and report packages.
 */
package org.bnlab.analyze;
