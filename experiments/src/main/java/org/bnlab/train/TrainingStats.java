package org.bnlab.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Training loss and accuracy of the batches as they are trained, with no extra forward pass: a DL4J listener that
 * sees the activations of each training forward pass, takes the features that enter the classifier (a ResNet's
 * pooled features, an MLP's last hidden layer) and applies the classifier's (not yet updated) weights to them. The
 * classifier is the network's (single) output layer. The loss is the pure cross-entropy, without the
 * weight-decay term that DL4J's {@code score()} adds.
 */
final class TrainingStats extends BaseTrainingListener {

    private INDArray labels;
    private Predictions epoch = new Predictions();
    private double lastBatchLoss = Double.NaN;
    private ComputationGraph inputOf;
    private String classifierInput;

    /** The labels of the batch about to be fitted. */
    void expect(INDArray batchLabels) {
        this.labels = batchLabels;
    }

    void startEpoch() {
        epoch = new Predictions();
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        ComputationGraph net = (ComputationGraph) model;
        INDArray features = activations.get(classifierInput(net));
        String classifier = net.getConfiguration().getNetworkOutputs().get(0);
        INDArray logits = features.mmul(net.getParam(classifier + "_W"))
                .addiRowVector(net.getParam(classifier + "_b"));
        Predictions batch = new Predictions();
        batch.addLogits(logits, labels);
        epoch.add(batch);
        lastBatchLoss = batch.meanLoss();
    }

    /** The vertex whose output the classifier (the output layer) reads (the pooled features in a ResNet). */
    private String classifierInput(ComputationGraph net) {
        if (net != inputOf) {
            java.util.List<String> outputs = net.getConfiguration().getNetworkOutputs();
            java.util.List<String> inputs = outputs.size() != 1 ? null
                    : net.getConfiguration().getVertexInputs().get(outputs.get(0));
            if (inputs == null || inputs.size() != 1) {
                throw new IllegalStateException("the network has no single classifier " + outputs
                        + " with one input");
            }
            classifierInput = inputs.get(0);
            inputOf = net;
        }
        return classifierInput;
    }

    double lastBatchLoss() {
        return lastBatchLoss;
    }

    double epochLoss() {
        return epoch.meanLoss();
    }

    double epochAccuracy() {
        return epoch.accuracy();
    }

    long epochImages() {
        return epoch.count();
    }
}
