package org.bnlab.train;

import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives the two parameter groups of a network their own updater (learning rate and schedule included), weight decay
 * or none, or freezes them: the normalization group ({@code batchnorm} in files), the affine parameters of every
 * normalization layer ({@link Normalizer#affineParameters}: BN's gamma and beta, Ioffe and Szegedy 2015), and
 * {@code weights}, the parameters of every other trained layer. A frozen group gets DL4J's
 * {@link Frozen} updater (a zero step; DL4J's own {@code NoOp} would apply the raw gradient) and no
 * regularisation, so it stays bit-identical to its initialisation (Frankle et al. 2021,
 * "Training BatchNorm and only BatchNorm", train BN only or everything but BN).
 *
 * <p>It works on a finished configuration, after {@code org.bnlab.kernels.Kernels.accelerate} (the kernel layers are
 * subclasses of the plain ones and keep the per-layer settings), so both kernel paths get the same groups. The
 * per-layer updaters are part of the configuration, so a checkpoint saves and restores them with their state.
 */
public final class ParameterGroups {

    /**
     * One group's settings.
     *
     * @param trainable   false: frozen ({@link Frozen}, no weight decay); the other settings are then ignored
     * @param updater     the group's update rule with its learning rate and schedule; null = leave the layer's
     * @param weightDecay L2 on the group's weights (not biases); null = leave the layer's
     */
    public record Group(boolean trainable, IUpdater updater, Double weightDecay) {
        /** Changes nothing. */
        public static final Group UNCHANGED = new Group(true, null, null);
    }

    private ParameterGroups() {
    }

    /** {@code conf} with the groups' settings (modified in place and returned). */
    public static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf, Group normalization,
                                                      Group weights) {
        for (GraphVertex v : conf.getVertices().values()) {
            if (!(v instanceof LayerVertex lv)) {
                continue;
            }
            Layer layer = lv.getLayerConf().getLayer();
            java.util.Optional<Normalizer> norm = Normalizers.owning(layer);
            if (norm.isPresent()) {
                lv.getLayerConf().setLayer(applyNormalization(norm.get(), (BaseLayer) layer, normalization));
            } else if (layer instanceof BaseLayer base) {
                applyWeights(base, weights);
            }
        }
        return conf;
    }

    private static Layer applyNormalization(Normalizer kind, BaseLayer layer, Group group) {
        if (!group.trainable()) {
            layer.setIUpdater(new Frozen());
            layer.setBiasUpdater(new Frozen());
            return kind.withAffineDecay(layer, 0);
        }
        if (group.updater() != null) {
            layer.setIUpdater(group.updater().clone());
            layer.setBiasUpdater(group.updater().clone());
        }
        return group.weightDecay() == null ? layer : kind.withAffineDecay(layer, group.weightDecay());
    }

    private static void applyWeights(BaseLayer layer, Group group) {
        if (!group.trainable()) {
            layer.setIUpdater(new Frozen());
            layer.setBiasUpdater(new Frozen());
            layer.setRegularization(new ArrayList<>());
            layer.setRegularizationBias(new ArrayList<>());
            return;
        }
        if (group.updater() != null) {
            layer.setIUpdater(group.updater().clone());
            layer.setBiasUpdater(group.updater().clone());
        }
        if (group.weightDecay() != null) {
            List<Regularization> l2 = new ArrayList<>();
            if (group.weightDecay() > 0) {
                l2.add(new L2Regularization(group.weightDecay()));
            }
            layer.setRegularization(l2);
        }
    }
}
