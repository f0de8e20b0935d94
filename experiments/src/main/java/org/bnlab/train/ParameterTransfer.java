package org.bnlab.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.bnlab.norm.Normalizers;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Copies a trained network's parameters into a freshly initialised one of the same architecture: every parameter,
 * or only those of the BatchNorm layers (gamma, beta and the running mean and variance, which DL4J keeps among a BN
 * layer's parameters: {@code BatchNormalizationParamInitializer}'s {@code gamma}, {@code beta}, {@code mean},
 * {@code var} or {@code log10stdev}). Layers are matched by name; the normalization layers are those a normalizer owns
 * ({@link Normalizers#isNormalization}); bnlab's oneDNN BN layer has DL4J's BN parameter keys, so a network built
 * for one kernel path takes the parameters of one built for the other.
 */
public final class ParameterTransfer {

    private ParameterTransfer() {
    }

    /**
     * The network of the checkpoint at {@code file} (a finished run's last epoch).
     *
     * @throws IllegalStateException with one line when there is no checkpoint
     */
    public static ComputationGraph trainedNetwork(Path file) {
        return Checkpoint.load(file).map(Checkpoint::net).orElseThrow(() -> new IllegalStateException(
                "no checkpoint " + file + " to start from"));
    }

    /**
     * Copies {@code source}'s parameters into {@code target}.
     *
     * @param batchNormOnly only the BN layers' parameters; else all
     * @return the names of the layers copied, in the target's order
     * @throws IllegalArgumentException naming the first layer or parameter that the source lacks or has in another
     *                                  shape (e.g. a classifier for 100 classes into one for 10)
     */
    public static List<String> copy(ComputationGraph source, ComputationGraph target, boolean batchNormOnly) {
        List<String> copied = new ArrayList<>();
        List<Runnable> assignments = new ArrayList<>();
        for (Layer layer : target.getLayers()) {
            String name = layer.getConfig().getLayerName();
            Map<String, INDArray> params = layer.paramTable();
            if (params.isEmpty() || (batchNormOnly && !Normalizers.isNormalization(layer.conf().getLayer()))) {
                continue;
            }
            Layer from = source.getLayer(name);
            if (from == null || (batchNormOnly && !Normalizers.isNormalization(from.conf().getLayer()))) {
                throw new IllegalArgumentException("cannot copy layer " + name + ": the source network has no such"
                        + (batchNormOnly ? " BatchNorm" : "") + " layer");
            }
            Map<String, INDArray> fromParams = from.paramTable();
            for (Map.Entry<String, INDArray> param : params.entrySet()) {
                INDArray value = fromParams.get(param.getKey());
                if (value == null || !Arrays.equals(value.shape(), param.getValue().shape())) {
                    throw new IllegalArgumentException("cannot copy parameter " + param.getKey() + " of layer " + name
                            + ": the source's is " + (value == null ? "missing" : Arrays.toString(value.shape()))
                            + ", the target's " + Arrays.toString(param.getValue().shape())
                            + (batchNormOnly ? "" : " (copy only the batchnorm parameters between different networks)"));
                }
                INDArray into = param.getValue();
                assignments.add(() -> into.assign(value));
            }
            copied.add(name);
        }
        assignments.forEach(Runnable::run); // all checked first: a failed copy changes nothing
        return copied;
    }
}
