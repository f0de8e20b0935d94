package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bnlab.kernels.DnnlBatchNormalization;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * BatchNormalization (Ioffe and Szegedy 2015) after every convolution, as in He et al. 2016, or after every hidden
 * Dense layer: DL4J's {@link BatchNormalization}, on the oneDNN path {@link DnnlBatchNormalization}, with L2 on
 * gamma and beta {@link DecayedBatchNormalization}.
 *
 * <p>Each setting is described on its component ({@code org.bnlab.spec.SettingsTable} lists them).
 */
@JsonClassDescription("BatchNorm, Ioffe and Szegedy 2015")
@JsonPropertyOrder({"type", "decay", "epsilon"})
public record BatchNorm(
        @JsonPropertyDescription("running-average decay in DL4J's convention: running = decay * running + (1 - "
                + "decay) * batch statistic; 0.9 is PyTorch's momentum 0.1. In [0, 1)")
        double decay,
        @JsonPropertyDescription("added to the variance before the square root; positive")
        double epsilon) implements Normalizer {

    public static final String TYPE = "batchnorm";
    public static final BatchNorm DEFAULT = new BatchNorm(0.9, 1e-5);

    private static final Set<String> AFFINE = Set.of(BatchNormalizationParamInitializer.GAMMA,
            BatchNormalizationParamInitializer.BETA);
    private static final Set<String> STATISTICS = Set.of(BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    public BatchNorm {
        Normalizer.requireDecay(decay, "BN ");
        Normalizer.requireEpsilon(epsilon, "BN ");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("bn", "batch-norm", "batch_norm");
    }

    @Override
    public List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale) {
        return List.of(new BatchNormalization.Builder().decay(decay).eps(epsilon).gamma(zeroScale ? 0.0 : 1.0)
                .dataFormat(format).build());
    }

    @Override
    public List<Layer> afterDense() {
        return List.of(new BatchNormalization.Builder().decay(decay).eps(epsilon).build());
    }

    @Override
    public Layer onOneDnn(Layer layer) {
        return layer.getClass() == BatchNormalization.class ? DnnlBatchNormalization.of((BatchNormalization) layer)
                : layer;
    }

    /**
     * Every BN layer configuration: DL4J's, the oneDNN kernel's and the one with decayed gamma and beta; not other
     * normalizers' configurations that extend DL4J's (Batch Renormalization's, Ghost BN's).
     */
    @Override
    public boolean owns(Layer layer) {
        return layer.getClass() == BatchNormalization.class || layer instanceof DnnlBatchNormalization
                || layer instanceof DecayedBatchNormalization;
    }

    @Override
    public Set<String> affineParameters() {
        return AFFINE;
    }

    @Override
    public Set<String> runningStatisticKeys() {
        return STATISTICS;
    }

    @Override
    public Optional<RunningStatistics> statisticsOf(Layer layer) {
        // also asked by the normalizers whose layers extend DL4J's BN and store their statistics as it does
        if (!(layer instanceof BatchNormalization bn)) {
            return Optional.empty();
        }
        return Optional.of(new RunningStatistics(BatchNormalizationParamInitializer.GLOBAL_MEAN,
                bn.isUseLogStd() ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                        : BatchNormalizationParamInitializer.GLOBAL_VAR,
                bn.isUseLogStd(), bn.getCnn2DFormat(), bn.getEps(), BatchNormalizationParamInitializer.GAMMA,
                BatchNormalizationParamInitializer.BETA));
    }

    @Override
    public Layer withAffineDecay(Layer layer, double weightDecay) {
        if (layer instanceof DnnlBatchNormalization dnnl) {
            dnnl.setGammaBetaWeightDecay(weightDecay);
            return dnnl;
        }
        if (layer instanceof DecayedBatchNormalization decayed) {
            decayed.setGammaBetaWeightDecay(weightDecay);
            return decayed;
        }
        if (weightDecay == 0) {
            return layer;
        }
        if (layer.getClass() != BatchNormalization.class) {
            throw new IllegalArgumentException("weight decay on gamma and beta needs a plain BatchNormalization, not "
                    + layer.getClass().getName());
        }
        return DecayedBatchNormalization.of((BatchNormalization) layer, weightDecay);
    }
}
