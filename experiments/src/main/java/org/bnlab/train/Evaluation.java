package org.bnlab.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Loss and accuracy of a network on a data set, in inference mode (BN uses its running statistics).
 *
 * @param loss     mean cross-entropy
 * @param accuracy fraction of images whose highest-scoring class is the label
 * @param images   how many images were evaluated
 */
public record Evaluation(double loss, double accuracy, long images) {

    public static Evaluation of(ComputationGraph net, DataSetIterator data) {
        Predictions predictions = new Predictions();
        data.reset();
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray probabilities = net.outputSingle(false, batch.getFeatures());
            predictions.addProbabilities(probabilities, batch.getLabels());
        }
        return new Evaluation(predictions.meanLoss(), predictions.accuracy(), predictions.count());
    }
}
