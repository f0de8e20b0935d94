package org.bnlab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** measure.probe_every: auto follows the run's length within the probe's cost budget; a number is kept. */
class ProbeIntervalTest {

    @Test
    void autoGivesAboutTwentyFiveSnapshotsButNeverMoreThanTheBudgetAllows() {
        MeasureSpec auto = MeasureSpec.DEFAULT;
        assertEquals(MeasureSpec.AUTO, auto.probeEvery());
        assertEquals(800, auto.probeInterval(20_000, 128), "a long run: 25 snapshots");
        int every = auto.probeInterval(188, 128); // the main job
        assertEquals(39, every, "short run: bounded by the cost, 64 images ~1.9 steps each, 5% of training");
        assertTrue(0.03 * 64 / every <= MeasureSpec.PROBE_BUDGET);
        MeasureSpec small = new MeasureSpec(20, MeasureSpec.AUTO, 16, List.of());
        assertEquals(10, small.probeInterval(188, 128), "a smaller probe batch may snapshot more often");
        assertEquals(77, auto.probeInterval(188, 64), "half the batch: a step costs half, the snapshot the same");
        assertEquals(100, new MeasureSpec(20, 100, 64, List.of()).probeInterval(188, 128));
        assertEquals(0, new MeasureSpec(20, 0, 64, List.of()).probeInterval(188, 128));
    }

    @Test
    void autoIsWrittenAsAutoAndLeftOutOfTheHashWhileNumbersStay() throws Exception {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        assertEquals("auto", tree.get("measure").get("probe_every").asText());
        assertFalse(SpecCodec.withoutLaterDefaults(tree).get("measure").has("probe_every"));
        ObjectNode every100 = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(every100, "measure.probe_every", SpecCodec.parseValue("100"));
        RunSpec hundred = SpecCodec.toSpec(every100, new Origins());
        assertEquals(100, hundred.measure().probeEvery());
        assertEquals(hundred, SpecCodec.fromJson(SpecCodec.toJson(hundred), "x"));
        assertEquals(RunSpec.DEFAULT, SpecCodec.fromJson(SpecCodec.toJson(RunSpec.DEFAULT), "x"));
        ObjectNode bad = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(bad, "measure.probe_every", SpecCodec.parseValue("often"));
        SpecException e = assertThrows(SpecException.class, () -> SpecCodec.toSpec(bad, new Origins()));
        assertTrue(e.getMessage().contains("measure.probe_every"), e.getMessage());
        assertTrue(e.getMessage().contains("auto"), e.getMessage());
    }
}
