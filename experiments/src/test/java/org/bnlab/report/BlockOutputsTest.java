package org.bnlab.report;

import org.bnlab.results.ActivationRow;
import org.bnlab.results.LayerActivationStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activation depth plot's x positions: the stem's, each block's and the pooled output, in every network. */
class BlockOutputsTest {

    private static List<ActivationRow> snapshot(String... layers) {
        return java.util.Arrays.stream(layers).map(l -> new ActivationRow(1, 0,
                new LayerActivationStats(l, "k", "1", 0, 1, 0, 1, 0.5, 0))).toList();
    }

    private static List<String> layers(List<ActivationRow> rows) {
        return rows.stream().map(r -> r.stats().layer()).toList();
    }

    @Test
    void aResNetsBlockOutputIsTheReluAfterTheAddition() {
        List<ActivationRow> resnet = snapshot("stem_conv", "stem_bn", "s1b1_1_conv", "s1b1_1_bn", "s1b1_2_conv",
                "s1b1_2_bn", "s1b1_relu", "s2b1_1_conv", "s2b1_1_bn", "s2b1_2_conv", "s2b1_2_bn", "s2b1_shortcut",
                "s2b1_relu", "pool", "fc");
        assertEquals(List.of("stem_bn", "s1b1_relu", "s2b1_relu", "pool"), layers(ReportPlots.blockOutputs(resnet)));
    }

    @Test
    void aPlainNetworksBlockOutputIsItsLastLayerAlsoWhereItsReluWasFusedIntoTheBn() {
        // the oneDNN path fuses BN and ReLU: a plain block's last vertex is its second BN
        List<ActivationRow> fused = snapshot("stem_conv", "stem_bn", "s1b1_1_conv", "s1b1_1_bn", "s1b1_2_conv",
                "s1b1_2_bn", "s2b1_1_conv", "s2b1_1_bn", "s2b1_2_conv", "s2b1_2_bn", "pool", "fc");
        assertEquals(List.of("stem_bn", "s1b1_2_bn", "s2b1_2_bn", "pool"), layers(ReportPlots.blockOutputs(fused)));
        List<ActivationRow> mlp = snapshot("h1_dense", "h1_relu", "fc");
        assertEquals(layers(mlp), layers(ReportPlots.blockOutputs(mlp)));
    }

    @Test
    void theTitleSaysResidualBlocksOnlyWhereThereAreShortcuts() {
        String plain = ReportPlots.activationsTitle(List.of("plain20", "plain56"));
        assertFalse(plain.contains("residual"), plain);
        assertTrue(plain.contains("plain block"), plain);
        assertTrue(ReportPlots.activationsTitle(List.of("resnet20")).contains("each residual block's output"));
        String both = ReportPlots.activationsTitle(List.of("plain20", "resnet20"));
        assertTrue(both.contains("residual") && both.contains("plain"), both);
        String mlp = ReportPlots.activationsTitle(List.of("mlp-784-256-10"));
        assertFalse(mlp.contains("block"), mlp);
    }
}
