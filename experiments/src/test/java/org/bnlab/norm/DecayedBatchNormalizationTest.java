package org.bnlab.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bnlab.model.Mlp;
import org.bnlab.model.MlpConfig;
import org.bnlab.train.ParameterGroups;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

/** BN with decayed gamma and beta in a checkpoint's configuration, under its class name of today and of before. */
class DecayedBatchNormalizationTest {

    private static final String NOW = "org.bnlab.norm.DecayedBatchNormalization";
    private static final String BEFORE = "org.bnlab.model.DecayedBatchNormalization";

    @Test
    void aConfigurationWrittenBeforeNormalizersHadTheirPackageIsStillRead() {
        ComputationGraphConfiguration conf = Mlp.configuration(new MlpConfig(2, 2, 1, List.of(3), 2,
                BatchNorm.DEFAULT), new Sgd(0.1), 1e-4, 1);
        ParameterGroups.apply(conf, new ParameterGroups.Group(true, null, 1e-3), ParameterGroups.Group.UNCHANGED);
        String json = conf.toJson();
        assertTrue(json.contains("\"" + NOW + "\""), "the decayed BN is written under its class name");
        ComputationGraphConfiguration old = ComputationGraphConfiguration.fromJson(json.replace(NOW, BEFORE));
        Layer layer = ((LayerVertex) old.getVertices().get("dense1_bn")).getLayerConf().getLayer();
        assertEquals(BEFORE, layer.getClass().getName());
        assertEquals(1e-3, ((DecayedBatchNormalization) layer).getGammaBetaWeightDecay());
        assertEquals(BatchNorm.DEFAULT, Normalizers.owning(layer).orElseThrow());
        ComputationGraph net = new ComputationGraph(old);
        net.init();
        ComputationGraph fresh = new ComputationGraph(conf);
        fresh.init();
        assertEquals(fresh.params(), net.params(), "the same seed gives the same parameters");
    }
}
