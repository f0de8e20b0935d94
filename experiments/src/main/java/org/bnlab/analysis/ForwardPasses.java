package org.bnlab.analysis;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward passes of a trained network over a data set in the two ways BN can normalise at test time.
 */
public final class ForwardPasses {

    private ForwardPasses() {
    }

    /** Inference mode: BN normalises with its running (or re-estimated) statistics. Batch size does not matter. */
    public static ModelOutputs running(ComputationGraph net, DataSetIterator batches) {
        ModelOutputs.Builder outputs = new ModelOutputs.Builder();
        batches.reset();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            outputs.add(net.outputSingle(false, batch.getFeatures()), batch.getLabels());
        }
        return outputs.build();
    }

    /**
     * Batch statistics at test time: every BN layer normalises each test batch with that batch's own mean and biased
     * variance (a training-mode forward pass; there is no dropout in these networks, so nothing else changes). The
     * network's parameters, its running statistics included, are left bit-identical: DL4J's BN layers (and
     * {@code DnnlBatchNorm}) change their running statistics only through the updater, which this never calls.
     *
     * <p>{@code batches} should hold the test set at the test batch size B in a seeded random order, so that every
     * batch is a random sample (a class-sorted order would give each batch one class's statistics); the last, smaller batch
     * of r images is normalised with its own statistics when r >= 2, and a single left-over image is evaluated
     * together with the batch before it (B + 1 images), because one image has no variance.
     */
    public static ModelOutputs batchStatistics(ComputationGraph net, DataSetIterator batches) {
        ModelOutputs.Builder outputs = new ModelOutputs.Builder();
        batches.reset();
        DataSet pending = null;
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            if (pending != null && batch.numExamples() < 2) {
                pending = new DataSet(Nd4j.concat(0, pending.getFeatures(), batch.getFeatures()),
                        Nd4j.concat(0, pending.getLabels(), batch.getLabels()));
                continue;
            }
            if (pending != null) {
                forwardTraining(net, pending, outputs);
            }
            pending = batch;
        }
        if (pending != null) {
            forwardTraining(net, pending, outputs);
        }
        return outputs.build();
    }

    private static void forwardTraining(ComputationGraph net, DataSet batch, ModelOutputs.Builder outputs) {
        INDArray p = net.outputSingle(true, batch.getFeatures());
        outputs.add(p, batch.getLabels());
    }
}
