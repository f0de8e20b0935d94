package org.bnlab.norm;

import org.bnlab.kernels.DnnlBatchNormalization;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry of normalizers and the questions other code asks of a network's layers through it. */
class NormalizersTest {

    @Test
    void everyPermittedTypeIsRegisteredWithItsDefault() throws ReflectiveOperationException {
        Class<?>[] permitted = Normalizer.class.getPermittedSubclasses();
        assertEquals(permitted.length, Normalizers.all().size());
        for (int i = 0; i < permitted.length; i++) {
            Normalizer n = Normalizers.all().get(i);
            assertSame(permitted[i].getField("DEFAULT").get(null), n);
            assertSame(n, Normalizers.named(n.type()).orElseThrow(), n.type());
            n.aliases().forEach(alias -> assertSame(n, Normalizers.named(alias.toUpperCase()).orElseThrow(), alias));
            assertTrue(Normalizers.names().contains(n.type()), Normalizers.names());
        }
        assertTrue(Normalizers.names().startsWith(BatchNorm.TYPE + ", "), Normalizers.names());
    }

    @Test
    void everyTypeBuildsLayersItOwnsAndAnswersForThem() {
        for (Normalizer n : Normalizers.all()) {
            List<Layer> layers = new java.util.ArrayList<>(n.afterConvolution(CNN2DFormat.NCHW, false));
            if (n.followsDense()) {
                layers.addAll(n.afterDense());
            } else {
                assertThrows(Normalizer.InvalidParameter.class, n::afterDense, n.type());
                assertThrows(Normalizer.InvalidParameter.class, () -> n.checkFollows(true, 8), n.type());
            }
            assertEquals(n.hasAffine(), !n.affineParameters().isEmpty(), n.type());
            for (Layer layer : layers) {
                if (n instanceof NoisyBatchNorm) {
                    // its BN layers are BN's and found as BN's; its noise layer is no normalization layer
                    assertEquals(layer instanceof BatchNoise ? Optional.empty() : Optional.of(BatchNorm.DEFAULT),
                            Normalizers.owning(layer), n.type() + ": " + layer.getClass().getSimpleName());
                    continue;
                }
                assertEquals(Optional.of(n), Normalizers.owning(layer), n.type());
                assertEquals(n.hasRunningStatistics(), Normalizers.statisticsOf(layer).isPresent(), n.type());
            }
            assertEquals(n == NoNorm.DEFAULT, layers.isEmpty(), n.type());
        }
    }

    @Test
    void typesAreFoundByNameOrAliasIgnoringCase() {
        assertEquals(Optional.of(BatchNorm.DEFAULT), Normalizers.named(" BN "));
        assertEquals(Optional.of(BatchNorm.DEFAULT), Normalizers.named("batch_norm"));
        assertEquals(Optional.of(NoNorm.DEFAULT), Normalizers.named("None"));
        assertEquals(Optional.of(GroupNorm.DEFAULT), Normalizers.named("GN"));
        assertEquals(Optional.of(LayerNorm.DEFAULT), Normalizers.named("layernorm"));
        assertEquals(Optional.of(InstanceNorm.DEFAULT), Normalizers.named("instance_norm"));
        assertEquals(Optional.empty(), Normalizers.named("weightnorm"));
    }

    @Test
    void batchNormOwnsItsLayersOnBothKernelPathsAndWithDecayedGammaAndBeta() {
        BatchNormalization plain = (BatchNormalization) BatchNorm.DEFAULT.afterConvolution(CNN2DFormat.NHWC, false)
                .get(0);
        Layer fast = BatchNorm.DEFAULT.onOneDnn(plain);
        Layer decayed = BatchNorm.DEFAULT.withAffineDecay(plain.clone(), 1e-4);
        assertTrue(fast instanceof DnnlBatchNormalization);
        assertTrue(decayed instanceof DecayedBatchNormalization);
        for (Layer layer : List.of(plain, fast, decayed)) {
            assertEquals(Optional.of(BatchNorm.DEFAULT), Normalizers.owning(layer), layer.getClass().getName());
            assertEquals(CNN2DFormat.NHWC, Normalizers.statisticsOf(layer).orElseThrow().format());
        }
        Layer dense = new DenseLayer.Builder().nOut(4).build();
        assertFalse(Normalizers.isNormalization(dense));
        assertSame(dense, Normalizers.onOneDnn(dense));
        assertEquals(Set.of("gamma", "beta"), BatchNorm.DEFAULT.affineParameters());
        assertEquals(Set.of("log10stdev", "mean", "var"), Normalizers.runningStatisticKeys());
    }

    @Test
    void theLayersCarryTheParameters() {
        BatchNorm bn = new BatchNorm(0.5, 1e-3);
        BatchNormalization conv = (BatchNormalization) bn.afterConvolution(CNN2DFormat.NCHW, true).get(0);
        assertEquals(0.5, conv.getDecay());
        assertEquals(1e-3, conv.getEps());
        assertEquals(0.0, conv.getGamma());
        BatchNormalization dense = (BatchNormalization) bn.afterDense().get(0);
        assertEquals(0.5, dense.getDecay());
        assertEquals(1.0, dense.getGamma());
    }

    @Test
    void noNormalizationBuildsNothingAndOwnsNothing() {
        assertEquals(List.of(), NoNorm.DEFAULT.afterConvolution(CNN2DFormat.NCHW, false));
        assertEquals(List.of(), NoNorm.DEFAULT.afterDense());
        assertFalse(NoNorm.DEFAULT.hasAffine());
        assertFalse(NoNorm.DEFAULT.hasRunningStatistics());
        assertFalse(NoNorm.DEFAULT.owns(new BatchNormalization.Builder().build()));
    }

    @Test
    void aParameterOutsideItsRuleIsNamed() {
        Normalizer.InvalidParameter e = assertThrows(Normalizer.InvalidParameter.class, () -> new BatchNorm(1.5, 1e-5));
        assertEquals("decay", e.parameter());
        assertEquals("epsilon", assertThrows(Normalizer.InvalidParameter.class, () -> new BatchNorm(0.9, 0))
                .parameter());
    }
}
