/**
 * Per-run measurements taken during training (activation statistics, the probe) and the throughput benchmark.
 *
 * <h2>Adding a measurement</h2>
 * A measurement is a {@link org.bnlab.measure.Measurement} registered by one line in
 * {@link org.bnlab.measure.Measurements#ALL}. It takes three files outside its tests:
 * <ol>
 *   <li>its settings: components of {@link org.bnlab.spec.MeasureSpec} (YAML keys {@code measure.*}), each marked
 *       {@link org.bnlab.spec.SettingKind.AddedLater} (so that run ids of folders written before it stay the same
 *       while it holds its default) and, when training does not read it, {@link org.bnlab.spec.SettingKind.ReportOnly};
 *       with the key in {@code @JsonPropertyOrder} and a default in {@code MeasureSpec.DEFAULT}; nothing in
 *       {@code SpecCodec};</li>
 *   <li>the measurement class: its row record, its record file as a
 *       {@link org.bnlab.results.RecordFile} constant (file name, header, fields, reader, epoch), its
 *       {@link org.bnlab.train.TrainingRecorder} ({@code recorder}, empty when its settings turn it off; it takes its
 *       snapshots in {@code beforeIteration} or through its DL4J listener and writes them with
 *       {@code RecordFile.writeEpoch} in {@code epochDone}, which gives resume its truncation), and its report part
 *       ({@code report}: tables and plots, e.g. with {@code org.bnlab.report.plot}, and a Markdown section, read
 *       from the runs' record files alone); a second class when the recorder or the report part is long;</li>
 *   <li>the registration line in {@link org.bnlab.measure.Measurements#ALL}.</li>
 * </ol>
 * For example the measurements of Santurkar et al. 2018 (issue 23): internal covariate shift every
 * {@code measure.ics_every} steps (an {@code IcsMeasurement} whose recorder, in {@code beforeIteration}, computes the
 * two gradients of their Definition 2.1 on the step's batch and restores the network and updater state, writing
 * {@code ics.csv} with {@code epoch,iteration,layer,l2_distance,cosine}, and whose report part plots them per arm
 * over training), and the loss landscape every {@code measure.landscape_every} steps at
 * {@code measure.landscape_steps} (a {@code LandscapeMeasurement} writing {@code landscape.csv}, its report part the
 * band of loss, gradient change and effective beta-smoothness over training). Nothing in {@code ExperimentRunner},
 * {@code RunFolder}, {@code SpecCodec} or {@code ExperimentReport} changes.
 *
 * <p>Depends on the data, model, train, results and spec packages and on {@code org.bnlab.report.plot} (plots only);
 * the report reaches the measurements' parts through {@code Measurements.ALL}, the experiment runner their recorders.
 */
package org.bnlab.measure;
