package org.bnlab.train;

import org.bnlab.results.RunFolder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Something a run records besides its metrics (activation statistics, and the measurements of later experiments),
 * plugged into the {@link Trainer} by the measurement part of the run specification, so that training does not
 * depend on what is measured.
 *
 * <p>Order within an epoch: {@link #startEpoch}, then the listener sees the training iterations, then, after the
 * epoch's metrics are written and before its checkpoint, {@link #epochDone} writes the records. A crash between the
 * two leaves a checkpoint one epoch behind; the resumed run recomputes that epoch's records identically.
 */
public interface TrainingRecorder {

    /** The DL4J listener attached to the network for the whole run. */
    TrainingListener listener();

    /**
     * Called by the trainer just before each training step ({@code net.fit(batch)}), when the network's iteration
     * count is the number of steps done; a recorder that takes snapshots of its own (e.g. on a probe batch) takes
     * them here, and must leave every number of the training as it found it. Does nothing by default.
     */
    default void beforeIteration(ComputationGraph net) {
    }

    /**
     * Called by the trainer just before each training step with the step's own batch (features in the network's
     * layout, one-hot labels), for a measurement that must see it (the internal covariate shift and the loss
     * landscape of Santurkar et al. 2018 are taken on the step's batch). The same rule holds: every number of the
     * training is left as found. Calls {@link #beforeIteration(ComputationGraph)} by default.
     */
    default void beforeIteration(ComputationGraph net, DataSet batch) {
        beforeIteration(net);
    }

    /** An epoch (1-based) starts. */
    void startEpoch(int epoch);

    /** The epoch's metrics are written: write its records into {@code folder} (atomically). */
    void epochDone(int epoch, RunFolder folder);
}
