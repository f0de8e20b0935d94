package org.bnlab.experiment;

import org.bnlab.results.RunFolder;
import org.bnlab.results.RunLock;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Where a run stands, read from its folder alone; and how durations are written. */
class RunStateTest {

    @TempDir
    Path tmp;

    private static final List<org.bnlab.results.EpochMetrics> TWO_EPOCHS = List.of(
            new org.bnlab.results.EpochMetrics(1, 0.1, 2.0, 0.3, 2.1, 0.25, 10, 10, 100),
            new org.bnlab.results.EpochMetrics(2, 0.1, 1.5, 0.4, 1.6, 0.35, 10, 20, 100));

    private static RunSummary summary(RunStatus status, Integer divergedEpoch) {
        return new RunSummary("r", status, divergedEpoch, divergedEpoch == null ? null : "loss became NaN",
                "cifar10", "resnet8", 8, "A", "none", "he", 0.1, 16, 4, 2, 1, 40, 20, 0.35, 0.35, 21);
    }

    @Test
    void eachKindFromTheFilesOfTheFolder() throws Exception {
        RunFolder folder = RunFolder.at(tmp.resolve("r"));
        assertEquals(new RunState(RunStatus.PENDING, 0, ""), RunState.of(folder));
        assertEquals("pending", RunState.of(folder).toString());

        folder.writeMetrics(TWO_EPOCHS);
        assertEquals(new RunState(RunStatus.STARTED, 2, ""), RunState.of(folder));

        try (RunLock lock = RunLock.tryAcquire(folder.dir()).orElseThrow()) {
            RunState running = RunState.of(folder);
            assertEquals(RunStatus.RUNNING, running.status());
            assertEquals(2, running.epochs());
            assertTrue(running.toString().startsWith("running (") && running.toString().contains("pid"), running.toString());
        }

        Files.writeString(folder.failureFile(), "out of memory\n");
        assertEquals(new RunState(RunStatus.FAILED, 2, "out of memory"), RunState.of(folder));
        assertFalse(RunState.of(folder).isFinished());

        folder.writeSummary(summary(RunStatus.DIVERGED, 3));
        assertEquals(new RunState(RunStatus.DIVERGED, 2, "epoch 3"), RunState.of(folder));
        assertTrue(RunState.of(folder).isFinished());

        folder.writeSummary(summary(RunStatus.COMPLETED, null));
        assertEquals(new RunState(RunStatus.COMPLETED, 2, ""), RunState.of(folder));
        assertEquals("completed", RunState.of(folder).toString());
    }

    @Test
    void durationsAsPeopleReadThem() {
        assertEquals("0s", Durations.format(0.2));
        assertEquals("45s", Durations.format(45));
        assertEquals("7m 05s", Durations.format(425));
        assertEquals("3h 20m", Durations.format(12_000));
    }
}
