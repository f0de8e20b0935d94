package org.bnlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.Normalizer;
import org.junit.jupiter.api.Test;

import java.util.List;

/** What each registered architecture's factory says about its networks besides building them. */
class NetworkFactoryTest {

    private record Settings(int depth, Shortcut shortcut, Normalizer normalization, Initialization init,
                            List<Integer> hidden) implements NetworkSettings {
    }

    @Test
    void referenceNetworksCostOneAndCountTheirWeightLayers() {
        NetworkFactory resnet = Architecture.RESNET.factory();
        NetworkFactory mlp = Architecture.MLP.factory();
        Settings resnet20 = new Settings(20, Shortcut.A, BatchNorm.DEFAULT, Initialization.HE, List.of());
        Settings mlp784 = new Settings(20, Shortcut.A, BatchNorm.DEFAULT, Initialization.HE, List.of(256));
        assertEquals(1.0, resnet.relativeCost(resnet20, 32, 3, 10), 1e-12);
        assertEquals(2.0 * 4, resnet.relativeCost(new Settings(40, Shortcut.A, BatchNorm.DEFAULT,
                Initialization.HE, List.of()), 64, 3, 10), 1e-12);
        assertEquals(1.0, mlp.relativeCost(mlp784, 28, 1, 10), 1e-12);
        assertEquals(20, resnet.weightLayers(resnet20));
        assertEquals(2, mlp.weightLayers(mlp784));
        assertEquals(NetworkFactory.CostReference.CONVOLUTIONAL, resnet.costReference());
        assertEquals(NetworkFactory.CostReference.FULLY_CONNECTED, mlp.costReference());
    }

    @Test
    void eachArchitectureRefusesTheSettingsItDoesNotUse() {
        NetworkFactory.InvalidSetting hidden = assertThrows(NetworkFactory.InvalidSetting.class,
                () -> Architecture.RESNET.factory().check(20, Shortcut.A, Initialization.HE, List.of(64), 20,
                        Shortcut.A));
        assertEquals("hidden", hidden.setting());
        NetworkFactory.InvalidSetting depth = assertThrows(NetworkFactory.InvalidSetting.class,
                () -> Architecture.MLP.factory().check(32, Shortcut.A, Initialization.HE, List.of(64), 20,
                        Shortcut.A));
        assertEquals("depth", depth.setting());
        NetworkFactory.InvalidSetting init = assertThrows(NetworkFactory.InvalidSetting.class,
                () -> Architecture.MLP.factory().check(20, Shortcut.A, Initialization.ZERO_RESIDUAL, List.of(64),
                        20, Shortcut.A));
        assertEquals("init", init.setting());
        Architecture.RESNET.factory().check(32, Shortcut.B, Initialization.ZERO_RESIDUAL, List.of(), 20, Shortcut.A);
    }
}
