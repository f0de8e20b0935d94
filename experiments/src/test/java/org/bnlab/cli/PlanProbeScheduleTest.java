package org.bnlab.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@code bnlab plan} states the probe's schedule: a run shorter than the interval has one snapshot, said so. */
class PlanProbeScheduleTest {

    @Test
    void aRunShorterThanTheIntervalIsProbedAtIterationZeroOnly() {
        assertEquals("at iteration 0 only (every 39 iterations, a run has about 16; set measure.probe_every for more)",
                PlanCommand.probeSchedule(39, 16));
    }

    @Test
    void aLongerRunCountsItsSnapshotsFromIterationZero() {
        assertEquals("every 39 iterations, 11 snapshots in a run of about 390", PlanCommand.probeSchedule(39, 390));
        assertEquals("off", PlanCommand.probeSchedule(0, 390));
    }
}
