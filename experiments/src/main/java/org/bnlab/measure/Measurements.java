package org.bnlab.measure;

import org.bnlab.train.TrainingRecorder;

import java.util.ArrayList;
import java.util.List;

/** The registered measurements: the one place a new measurement is added (one line in {@link #ALL}). */
public final class Measurements {

    /** Every measurement, in the order their recorders run and their report parts appear. */
    public static final List<Measurement> ALL = List.of(
            new ActivationStatsMeasurement(),
            new ProbeMeasurement(),
            new LayerResponsesMeasurement(),
            new InitGradientsMeasurement(),
            new IcsMeasurement(),
            new LandscapeMeasurement());

    private Measurements() {
    }

    /** The recorders of the measurements {@code run}'s settings turn on, in {@link #ALL}'s order. */
    public static List<TrainingRecorder> recorders(RecordingContext run) {
        return recorders(ALL, run);
    }

    /** The recorders of those of {@code measurements} that {@code run}'s settings turn on, in order. */
    public static List<TrainingRecorder> recorders(List<Measurement> measurements, RecordingContext run) {
        List<TrainingRecorder> recorders = new ArrayList<>();
        measurements.forEach(m -> m.recorder(run).ifPresent(recorders::add));
        return recorders;
    }
}
