package org.bnlab.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DivergenceGuardTest {

    @Test
    void nanAndInfinityDiverge() {
        assertTrue(new DivergenceGuard(1000, 10, Double.NaN).check(Double.NaN, 3).orElseThrow().contains("NaN"));
        assertTrue(new DivergenceGuard(1000, 10, 2.3).check(Double.POSITIVE_INFINITY, 3).isPresent());
    }

    @Test
    void aLossFarAboveItsStartDiverges() {
        DivergenceGuard guard = new DivergenceGuard(1000, 10, Double.NaN);
        assertTrue(guard.check(2.5, 1).isEmpty(), "the first loss becomes the reference");
        assertEquals(2.5, guard.reference(), 1e-12);
        assertTrue(guard.check(2000, 2).isEmpty(), "800x is still allowed");
        String reason = guard.check(1e6, 3).orElseThrow();
        assertTrue(reason.contains("iteration 3"), reason);
    }

    @Test
    void theReferenceIsNeverBelowChance() {
        DivergenceGuard guard = new DivergenceGuard(10, 10, 0.5);
        assertEquals(Math.log(10), guard.reference(), 1e-12);
        assertTrue(guard.check(20, 1).isEmpty());
        assertTrue(guard.check(24, 2).isPresent());
    }

    @Test
    void aResumedRunKeepsItsReference() {
        DivergenceGuard guard = new DivergenceGuard(100, 10, 50.0);
        assertTrue(guard.check(4000, 7).isEmpty());
        assertTrue(guard.check(6000, 8).isPresent());
        assertEquals(50.0, guard.firstLoss());
    }
}
