package org.bnlab.analysis;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-estimated population statistics of every BN layer ("precise BN", Wu and Johnson 2021, "Rethinking 'Batch' in
 * BatchNorm", section 3; AdaBN, Li et al. 2016, "Revisiting Batch Normalization For Practical Domain Adaptation",
 * when the batches come from shifted data).
 *
 * <p>On a copy of the network: forward passes in training mode over up to {@code maxBatches} batches, so that every
 * BN layer upstream normalises with the batch's statistics, as during training (as fvcore's
 * {@code update_bn_stats}); for every BN layer the exact mean and biased variance of its input per channel over all
 * those batches ({@link PopulationStatistics}: pooled over the images, not the average of per-batch variances that
 * fvcore keeps, which leaves out the spread of the batch means), written into the copy's running statistics. All
 * layers are estimated from the same passes. The network given is not changed.
 */
public final class PreciseBatchNorm {

    /**
     * The copy with its statistics, and how many images and batches they came from.
     *
     * @param net     the copy, ready for inference
     * @param images  images the statistics are over
     * @param batches batches they are over
     */
    public record Result(ComputationGraph net, long images, int batches) {
    }

    private PreciseBatchNorm() {
    }

    /**
     * @param batches    the data, in the order it is to be read (without augmentation)
     * @param maxBatches at most this many batches are used, >= 1
     */
    public static Result reestimate(ComputationGraph net, DataSetIterator batches, int maxBatches) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("precise BN needs at least one batch, got " + maxBatches);
        }
        ComputationGraph copy = net.clone();
        List<BatchNormLayers.Entry> layers = BatchNormLayers.of(copy);
        if (layers.isEmpty()) {
            return new Result(copy, 0, 0);
        }
        List<PopulationStatistics> stats = new ArrayList<>();
        for (BatchNormLayers.Entry e : layers) {
            stats.add(new PopulationStatistics((int) copy.getLayer(e.name()).getParam("mean").length()));
        }
        batches.reset();
        long images = 0;
        int used = 0;
        while (batches.hasNext() && used < maxBatches) {
            DataSet batch = batches.next();
            Map<String, INDArray> activations = copy.feedForward(new INDArray[]{batch.getFeatures()}, true, true);
            for (int l = 0; l < layers.size(); l++) {
                BatchNormLayers.Entry e = layers.get(l);
                stats.get(l).add(activations.get(e.input()), e.channelAxis());
            }
            images += batch.numExamples();
            used++;
        }
        for (int l = 0; l < layers.size(); l++) {
            BatchNormLayers.setRunningStatistics(copy, layers.get(l), stats.get(l).mean(), stats.get(l).variance());
        }
        return new Result(copy, images, used);
    }
}
