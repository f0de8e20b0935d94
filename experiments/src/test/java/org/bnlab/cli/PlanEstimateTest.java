package org.bnlab.cli;

import org.bnlab.testing.CalibrationRuns;
import org.bnlab.testing.CalibrationRuns.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bnlab plan}'s estimate from a finished run of this machine in the folder beside the experiment's: the total,
 * the longest run and where the figures come from, by the formula on the fixture's numbers (nothing trained or
 * timed).
 */
class PlanEstimateTest {

    @TempDir
    Path tmp;

    @Test
    void theEstimateAndTheLongestRunComeFromThisMachinesRuns() throws Exception {
        Path results = Files.createDirectories(tmp.resolve("results"));
        // ResNet-20 at 250 training images/s, evaluation 4x faster, 16 s outside its epochs
        CalibrationRuns.write(Files.createDirectories(results.resolve("earlier")), "a",
                Run.completed(CalibrationRuns.spec(), 5_000, 1_000, 250, 4, 2, 16.0));
        Path file = Files.writeString(tmp.resolve("cost.yaml"), """
                name: cost
                question: What does the plan estimate?
                base:
                  model.depth: 32
                  measure.probe_every: 0
                grid:
                  train.epochs: [1, 3]
                """);
        Console c = Console.run("plan", file.toString(), "--out", results.resolve("cost").toString());
        assertEquals(0, c.status(), c.toString());
        // ResNet-32 at 250 / 1.6 = 156.25 images/s on 10,000 training and 2,000 test images:
        // 16 + epochs x (64 + 3.2) s, i.e. 83.2 s and 217.6 s, 300.8 s in all
        assertTrue(c.out().contains("2 runs, 2 to do; estimated 5m 01s, the longest run 3m 38s"), c.out());
        assertTrue(c.out().contains("from 1 finished run of this machine (1 in " + results.resolve("earlier")
                + "): 250 training images/s for ResNet-20, an MLP at the default 3000, evaluation 4.0x faster, "
                + "16s start-up per run"), c.out());
    }
}
