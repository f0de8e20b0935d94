package org.bnlab.cli;

import org.bnlab.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GroupNorm, LayerNorm and InstanceNorm through {@code bnlab run} with {@code analyze: true} on generated data (all
 * four evaluation modes, which say once what they do without running statistics), the report naming the arms, and
 * the one-line refusals of a normalizer that cannot follow an mlp's Dense layers.
 */
@ExtendWith(Backend.class)
class StatisticsFreeNormalizersCliTest {

    @Test
    void theyTrainAnalyseAndReport(@TempDir Path tmp) throws IOException {
        Path data = TinyGrid.writeData(tmp.resolve("data"));
        Path file = Files.writeString(tmp.resolve("norms.yaml"), TinyGrid.base("norms", data, 1) + """
                  eval: {modes: [running, batch, precise, adabn], test_batch_sizes: [2, 8], precise_batches: 2,
                         shifts: [contrast], severities: [1]}
                analyze: true
                grid:
                  model.normalization: [batchnorm, groupnorm, layernorm, instancenorm, {type: groupnorm, groups: 4}]
                """);
        Path out = tmp.resolve("out");
        TinyGrid.Outcome run = TinyGrid.bnlab("run", file.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, run.status(), run.err() + run.out());
        for (String type : new String[]{"groupnorm", "layernorm", "instancenorm"}) {
            assertTrue(run.out().contains(type + ": no running statistics, so batch, precise and adabn each give the "
                    + "inference result"), run.out());
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Inference-phase analysis"), report);
        for (String arm : new String[]{"batchnorm", "layernorm", "instancenorm", "{type:groupnorm,groups:4}"}) {
            assertTrue(report.contains(arm), arm + " in\n" + report);
        }
    }

    @Test
    void instanceNormAfterADenseLayerAndGroupsThatDoNotDivideAWidthAreOneLineErrors(@TempDir Path tmp)
            throws IOException {
        Path data = TinyGrid.writeData(tmp.resolve("data"));
        String mlp = TinyGrid.base("mlp", data, 1).replace("  model.depth: 8\n",
                "  model: {architecture: mlp, hidden: [6]}\n");
        for (String[] c : new String[][]{
                {"instancenorm", "instancenorm normalizes each channel over its positions"},
                {"{type: groupnorm, groups: 4}", "groupnorm: 4 groups do not divide 6 channels"}}) {
            Path file = Files.writeString(tmp.resolve("mlp.yaml"), mlp + "  model.normalization: " + c[0] + "\n");
            TinyGrid.Outcome plan = TinyGrid.bnlab("plan", file.toString());
            assertEquals(2, plan.status(), plan.err() + plan.out());
            String err = plan.err().strip();
            assertTrue(err.startsWith("bnlab: error: ") && err.contains("model.normalization: ")
                    && err.contains(c[1]), err);
            assertFalse(err.contains("\n") || err.contains("Exception"), err);
        }
    }
}
