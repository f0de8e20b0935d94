package org.bnlab.measure;

import org.bnlab.results.ActivationRow;
import org.bnlab.results.RunFolder;
import org.bnlab.train.TrainingRecorder;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.bnlab.results.LayerActivationStats;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A DL4J listener that takes a snapshot of per-layer activation statistics ({@link ActivationStatistics}) every
 * {@code every} training iterations and keeps the rows of the current epoch until the trainer writes them.
 *
 * <p>Snapshots are chosen by the network's own iteration count (steps completed before the forward pass), which a
 * checkpoint restores: a resumed run takes its snapshots at the same iterations, on the same network state, as an
 * uninterrupted one. Iteration 0, the freshly initialised network, is always one of them. The statistics are read
 * from the training forward pass's activations, the ones backpropagation then uses, so recording them adds
 * reductions but no forward pass and changes no number of the training.
 */
public final class ActivationStatsListener extends BaseTrainingListener implements TrainingRecorder {

    private final int every;
    private final List<ActivationRow> rows = new ArrayList<>();
    private int epoch;

    /** @param every iterations between snapshots; 0 records nothing */
    public ActivationStatsListener(int every) {
        this.every = checkInterval(every);
    }

    /** {@code every} if it is a valid snapshot interval (0 = off), else an error saying so. */
    public static int checkInterval(int every) {
        if (every < 0) {
            throw new IllegalArgumentException("the activation statistics interval (--stats-every) must be >= 0 "
                    + "iterations, 0 turning them off; got " + every);
        }
        return every;
    }

    /** Whether this listener takes snapshots at all. */
    public boolean isRecording() {
        return every > 0;
    }

    @Override
    public TrainingListener listener() {
        return this;
    }

    /** Writes the epoch's snapshots to the run's {@code activations.csv}, when recording. */
    @Override
    public void epochDone(int epoch, RunFolder folder) {
        if (isRecording()) {
            ActivationStatsMeasurement.RECORDS.writeEpoch(folder, epoch, epochRows());
        }
    }

    /** Snapshots taken from now on belong to {@code epoch} (1-based); the previous epoch's rows are let go. */
    @Override
    public void startEpoch(int epoch) {
        this.epoch = epoch;
        rows.clear();
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (!isRecording()) {
            return;
        }
        ComputationGraph net = (ComputationGraph) model;
        long iteration = net.getConfiguration().getIterationCount();
        if (iteration % every != 0) {
            return;
        }
        if (epoch < 1) {
            throw new IllegalStateException("startEpoch was not called before training");
        }
        for (LayerActivationStats layer : ActivationStatistics.of(net, activations)) {
            rows.add(new ActivationRow(epoch, iteration, layer));
        }
    }

    /** The rows of the snapshots taken since {@link #startEpoch}, in the order taken. */
    public List<ActivationRow> epochRows() {
        return List.copyOf(rows);
    }
}
