package org.bnlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Arms are listed in the order of their settings, numbers by value rather than as text. */
class OverSeedsOrderTest {

    @Test
    void numbersSortByValueAndBeforeText() {
        List<String> depths = new ArrayList<>(List.of("20", "32", "8", "110"));
        depths.sort(OverSeedsTable::compareValues);
        assertEquals(List.of("8", "20", "32", "110"), depths);
        List<String> decays = new ArrayList<>(List.of("0.5", "0.999", "0.99", "0.9"));
        decays.sort(OverSeedsTable::compareValues);
        assertEquals(List.of("0.5", "0.9", "0.99", "0.999"), decays);
        List<String> mixed = new ArrayList<>(List.of("none", "1e-4", "batchnorm", "0"));
        mixed.sort(OverSeedsTable::compareValues);
        assertEquals(List.of("0", "1e-4", "batchnorm", "none"), mixed);
    }
}
