package org.bnlab.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ThroughputTest {

    @Test
    void overheadIsTheExtraTimePerImage() {
        Throughput.Pair pair = new Throughput.Pair(new Throughput(new double[]{290, 300, 310}),
                new Throughput(new double[]{200, 240, 150}));

        assertEquals(50.0, pair.overheadPercent(), 1e-9, "300 img/s down to 200: each image takes 1.5 times as long");
    }

    @Test
    void aPairRunsBothStepsAlike() {
        int[] calls = new int[2];

        Throughput.Pair pair = Throughput.measurePair(() -> calls[0]++, () -> calls[1]++, 10, 2, 3, 4);

        assertEquals(2 + 3 * 4, calls[0]);
        assertEquals(2 + 3 * 4, calls[1]);
        assertEquals(3, pair.baseline().perRepetition().length);
        assertEquals(3, pair.variant().perRepetition().length);
    }
}
