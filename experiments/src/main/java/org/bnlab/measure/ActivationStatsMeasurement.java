package org.bnlab.measure;

import org.bnlab.results.ActivationRow;
import org.bnlab.results.LayerActivationStats;
import org.bnlab.results.RecordFile;
import org.bnlab.train.TrainingRecorder;

import java.util.List;
import java.util.Optional;

/**
 * Per-layer activation statistics every {@code measure.activation_stats_every} iterations
 * ({@link ActivationStatsListener}), written to {@code activations.csv} ({@link #RECORDS}). Its report part (the
 * table {@code activations-summary.csv} and the depth plot among the training plots) is drawn by the report itself
 * ({@code org.bnlab.report.ActivationsSummaryTable}, {@code ReportPlots}), because the depth plot sits among the
 * training plots rather than in a section of its own.
 */
public final class ActivationStatsMeasurement implements Measurement {

    /**
     * {@code activations.csv}: one row per (snapshot, layer), snapshots in training order and layers in the
     * network's topological order.
     */
    public static final RecordFile<ActivationRow> RECORDS = RecordFile.of("activations.csv",
            "epoch,iteration,layer,kind,shape,mean,std,min,max,mean_abs,zero_fraction",
            row -> {
                LayerActivationStats s = row.stats();
                return List.of(row.epoch(), row.iteration(), s.layer(), s.kind(), s.shape(), s.mean(), s.std(),
                        s.min(), s.max(), s.meanAbs(), s.zeroFraction());
            },
            f -> new ActivationRow(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()),
                    new LayerActivationStats(f[2].strip(), f[3].strip(), f[4].strip(), RecordFile.number(f[5]),
                            RecordFile.number(f[6]), RecordFile.number(f[7]), RecordFile.number(f[8]),
                            RecordFile.number(f[9]), RecordFile.number(f[10]))),
            ActivationRow::epoch);

    @Override
    public String name() {
        return "activation statistics";
    }

    @Override
    public Optional<TrainingRecorder> recorder(RecordingContext run) {
        int every = run.spec().measure().activationStatsEvery();
        return every > 0 ? Optional.of(new ActivationStatsListener(every)) : Optional.empty();
    }
}
