/**
 * The report of an experiment's results folder ({@code bnlab report}), built from the files alone: tables with
 * means, sds and intervals over seeds, the declared contrasts, published values beside measured ones, the
 * inference-phase tables of {@code bnlab analyze}, plots ({@code org.bnlab.report.plot}) and {@code report.md}.
 *
 * <h2>Adding a section</h2>
 * A section is a {@link org.bnlab.report.ReportSection} (its files: {@code writeTo}, returning its plots for the
 * "Plots" block; its Markdown) built from the {@link org.bnlab.report.ExperimentReport}, and one line in
 * {@link org.bnlab.report.ExperimentReport#SECTIONS}, whose order is the order of {@code report.md}. For example the
 * answer of issue 23's ready experiments, "does noisy BN train like BN" (the interval of the difference in final
 * accuracy): a {@code NoisyBnAnswer} section and its line. A measurement's part (its tables, plots and section)
 * does not come here: it comes with the measurement's registration in {@code org.bnlab.measure.Measurements}
 * ({@link org.bnlab.report.MeasurementSections}).
 */
package org.bnlab.report;
