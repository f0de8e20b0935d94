package org.bnlab.train;

import org.bnlab.data.BatchIterator;
import org.bnlab.results.RunFolder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.function.Supplier;

/**
 * One network to train into one run folder.
 *
 * @param run         the run's id (for progress messages)
 * @param folder      where metrics and checkpoints go
 * @param newNetwork  builds the freshly initialised network (not called when resuming from a checkpoint)
 * @param train       training batches (augmented, shuffled per epoch from the seed)
 * @param evaluation  the batches evaluated after every epoch
 * @param numClasses  classes, for the divergence guard's chance-level reference
 * @param spec        the training recipe
 * @param recorders   what the run records besides its metrics (e.g. activation statistics)
 */
public record TrainingJob(String run, RunFolder folder, Supplier<ComputationGraph> newNetwork, BatchIterator train,
                          DataSetIterator evaluation, int numClasses, TrainingRecipe spec,
                          List<TrainingRecorder> recorders) {

    public TrainingJob {
        recorders = List.copyOf(recorders);
    }
}
