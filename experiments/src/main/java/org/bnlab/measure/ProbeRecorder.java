package org.bnlab.measure;

import org.bnlab.results.ProbeRow;
import org.bnlab.results.RunFolder;
import org.bnlab.train.TrainingRecorder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Takes a {@link ProbeSnapshot} on a fixed probe batch every {@code every} training iterations, just before the
 * step of that iteration, and writes the epoch's rows to the run's {@code probe.csv}. Like
 * {@link ActivationStatsListener}, snapshots are chosen by the network's own iteration count (steps done), which a
 * checkpoint restores, so a resumed run takes the same snapshots on the same network states as an uninterrupted one;
 * iteration 0, the initialised network, is always one of them. The snapshot changes no number of the training.
 */
public final class ProbeRecorder implements TrainingRecorder {

    /** Listens to nothing: the probe works from {@link #beforeIteration}. */
    private static final TrainingListener NONE = new BaseTrainingListener() {
    };

    private final int every;
    private final DataSet probe;
    private final List<ProbeRow> rows = new ArrayList<>();
    private int epoch;

    /**
     * @param every iterations between snapshots, >= 1
     * @param probe the probe batch: features normalised like evaluation batches, in the network's layout, and
     *              one-hot labels
     */
    public ProbeRecorder(int every, DataSet probe) {
        if (every < 1) {
            throw new IllegalArgumentException("the probe interval (measure.probe_every) must be >= 1 iteration "
                    + "here (0 turns the probe off and builds no recorder); got " + every);
        }
        this.every = every;
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    @Override
    public TrainingListener listener() {
        return NONE;
    }

    @Override
    public void startEpoch(int epoch) {
        this.epoch = epoch;
        rows.clear();
    }

    @Override
    public void beforeIteration(ComputationGraph net) {
        long iteration = net.getConfiguration().getIterationCount();
        if (iteration % every != 0) {
            return;
        }
        if (epoch < 1) {
            throw new IllegalStateException("startEpoch was not called before training");
        }
        rows.addAll(ProbeSnapshot.take(net, probe, epoch, iteration));
    }

    @Override
    public void epochDone(int epoch, RunFolder folder) {
        ProbeMeasurement.RECORDS.writeEpoch(folder, epoch, epochRows());
    }

    /** The rows of the snapshots taken since {@link #startEpoch}, in the order taken. */
    public List<ProbeRow> epochRows() {
        return List.copyOf(rows);
    }
}
