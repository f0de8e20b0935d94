package org.bnlab.measure;

import org.bnlab.results.ProbeRow;
import org.bnlab.results.RecordFile;
import org.bnlab.spec.MeasureSpec;
import org.bnlab.train.TrainingRecorder;

import java.util.List;
import java.util.Optional;

/**
 * The probe ({@link ProbeSnapshot}): every {@code measure.probe_every} iterations ({@link MeasureSpec#probeInterval}
 * resolves {@code auto}) on {@code measure.probe_images} evaluation images drawn with the run's seed, written to
 * {@code probe.csv} ({@link #RECORDS}); its report part is {@link ProbeReport}.
 */
public final class ProbeMeasurement implements Measurement {

    /**
     * {@code probe.csv}: per-weight-layer measurements on the fixed probe batch ({@link ProbeRow}), one row per
     * (snapshot, weight layer), snapshots in training order and layers from input to output (the model builder's
     * order).
     */
    public static final RecordFile<ProbeRow> RECORDS = RecordFile.of("probe.csv",
            "epoch,iteration,layer,kind,pre_activation,p15,p50,p85,mean,std,weight_norm,"
                    + "grad_norm,bn,bn_mean_gap,bn_var_ratio,gamma_near_zero",
            r -> List.of(r.epoch(), r.iteration(), r.layer(), r.kind(), r.preActivation(), r.p15(), r.p50(), r.p85(),
                    r.mean(), r.std(), r.weightNorm(), r.gradientNorm(), r.bn(), r.bnMeanGap(), r.bnVarRatio(),
                    r.gammaNearZero()),
            f -> new ProbeRow(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()), f[2].strip(),
                    f[3].strip(), f[4].strip(), RecordFile.number(f[5]), RecordFile.number(f[6]),
                    RecordFile.number(f[7]), RecordFile.number(f[8]), RecordFile.number(f[9]),
                    RecordFile.number(f[10]), RecordFile.number(f[11]), f[12].strip(), RecordFile.number(f[13]),
                    RecordFile.number(f[14]), RecordFile.number(f[15])),
            ProbeRow::epoch);

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public Optional<TrainingRecorder> recorder(RecordingContext run) {
        MeasureSpec measure = run.spec().measure();
        int every = measure.probeInterval(run.iterations(), run.batchSize());
        return every > 0
                ? Optional.of(new ProbeRecorder(every, run.samples().draw(measure.probeImages(), run.spec().seed())))
                : Optional.empty();
    }

    @Override
    public MeasurementReport report(String experiment, List<MeasuredRun> runs) {
        return ProbeReport.read(experiment, runs);
    }
}
