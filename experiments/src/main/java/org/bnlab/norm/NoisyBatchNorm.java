package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * "Noisy" BatchNorm of Santurkar, Tsipras, Ilyas and Madry 2018 ("How Does Batch Normalization Help Optimization?",
 * NeurIPS, section 2.1): BN followed by noise that shifts and widens the distribution of every BN output at every
 * training step, so that each layer's input distribution keeps moving (more internal covariate shift than without
 * BN). The paper perturbs "each activation for each sample in the batch using i.i.d. noise sampled from a non-zero
 * mean and non-unit variance distribution" that "changes at each time step"; bnlab's noise ({@link BatchNoise}):
 * at training step t, for each noise layer and channel c, a mean m ~ U(-noise_mean, noise_mean) and a standard
 * deviation s ~ U(0, noise_std) are drawn, and every activation x of channel c (each sample, each position) becomes
 * x + m + s z with z ~ N(0, 1) i.i.d. The draws follow from the network's seed, the layer's index and the step, so a
 * run (and a resumed run) is reproducible. In inference the noise is off: the network is BN's.
 *
 * <p>BN's own layers and parameters are {@link BatchNorm}'s (they are BN layers: running statistics, gamma and
 * beta, their parameter group); the noise layer has no parameters. At {@code noise_mean = noise_std = 0} the network
 * computes exactly what BN's does.
 */
@JsonClassDescription("Santurkar et al. 2018")
@JsonPropertyOrder({"type", "decay", "epsilon", "noise_mean", "noise_std"})
public record NoisyBatchNorm(
        @JsonPropertyDescription("BN's running-average decay (as `batchnorm`'s). In [0, 1)")
        double decay,
        @JsonPropertyDescription("BN's epsilon (as `batchnorm`'s); positive")
        double epsilon,
        @JsonPropertyDescription("the noise's mean is drawn per step and channel from U(-noise_mean, noise_mean); "
                + ">= 0")
        double noiseMean,
        @JsonPropertyDescription("the noise's standard deviation is drawn per step and channel from U(0, noise_std); "
                + ">= 0")
        double noiseStd) implements Normalizer {

    public static final String TYPE = "noisybatchnorm";
    public static final NoisyBatchNorm DEFAULT = new NoisyBatchNorm(BatchNorm.DEFAULT.decay(),
            BatchNorm.DEFAULT.epsilon(), 0.5, 1.0);

    public NoisyBatchNorm {
        // BN's own checks, naming the same parameters
        new BatchNorm(decay, epsilon);
        Normalizer.require(noiseMean >= 0 && Double.isFinite(noiseMean), "noise_mean",
                "noise_mean must be >= 0, got " + noiseMean);
        Normalizer.require(noiseStd >= 0 && Double.isFinite(noiseStd), "noise_std",
                "noise_std must be >= 0, got " + noiseStd);
    }

    private BatchNorm batchNorm() {
        return new BatchNorm(decay, epsilon);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("noisy-bn", "noisy_bn", "noisybn");
    }

    /** BN's layer, then the noise layer. */
    @Override
    public List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale) {
        List<Layer> layers = new ArrayList<>(batchNorm().afterConvolution(format, zeroScale));
        layers.add(new BatchNoise(noiseMean, noiseStd, format));
        return layers;
    }

    @Override
    public List<Layer> afterDense() {
        List<Layer> layers = new ArrayList<>(batchNorm().afterDense());
        layers.add(new BatchNoise(noiseMean, noiseStd, null));
        return layers;
    }

    @Override
    public Layer onOneDnn(Layer layer) {
        return batchNorm().onOneDnn(layer);
    }

    /**
     * Its BN layers (found first as {@link BatchNorm}'s, which they are); the noise layer is not a normalization
     * layer (no parameters, no statistics).
     */
    @Override
    public boolean owns(Layer layer) {
        return batchNorm().owns(layer);
    }

    @Override
    public boolean hasAffine() {
        return true;
    }

    @Override
    public Set<String> affineParameters() {
        return batchNorm().affineParameters();
    }

    @Override
    public boolean hasRunningStatistics() {
        return true;
    }

    @Override
    public Set<String> runningStatisticKeys() {
        return batchNorm().runningStatisticKeys();
    }

    @Override
    public Optional<RunningStatistics> statisticsOf(Layer layer) {
        return batchNorm().statisticsOf(layer);
    }

    @Override
    public Layer withAffineDecay(Layer layer, double weightDecay) {
        return batchNorm().withAffineDecay(layer, weightDecay);
    }
}
