package org.bnlab.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;

/** What every bnlab network shares: float32, the optimizer, L2 weight decay, He initialisation, the seed. */
final class NetworkDefaults {

    private NetworkDefaults() {
    }

    /**
     * A configuration builder with the settings every model family uses.
     *
     * @param updater     the optimizer (learning rate and its schedule included)
     * @param weightDecay L2 penalty on weights (DL4J applies it neither to biases nor to BN's gamma and beta)
     * @param seed        seeds the weight initialisation
     */
    static NeuralNetConfiguration.Builder builder(IUpdater updater, double weightDecay, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .l2(weightDecay)
                .weightInit(WeightInit.RELU); // He et al. 2015: N(0, 2 / fan_in)
    }
}
