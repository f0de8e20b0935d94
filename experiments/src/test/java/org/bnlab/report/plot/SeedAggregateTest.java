package org.bnlab.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SeedAggregateTest {

    @Test
    void meanMinAndMaxAtEachX() {
        List<SeedAggregate.Point> points = SeedAggregate.byX(List.of(
                Map.of(1, 10.0, 2, 20.0),
                Map.of(1, 14.0, 2, 26.0),
                Map.of(1, 12.0, 2, 29.0)));
        assertEquals(List.of(
                new SeedAggregate.Point(1, 12.0, 10.0, 14.0, 3),
                new SeedAggregate.Point(2, 25.0, 20.0, 29.0, 3)), points);
    }

    @Test
    void runsOfDifferentLengthsAverageOverTheSeedsThatReachedAnX() {
        List<SeedAggregate.Point> points = SeedAggregate.byX(List.of(
                Map.of(1, 0.5, 2, 0.6, 3, 0.7),
                Map.of(1, 0.3),
                Map.of()));
        assertEquals(List.of(
                new SeedAggregate.Point(1, 0.4, 0.3, 0.5, 2),
                new SeedAggregate.Point(2, 0.6, 0.6, 0.6, 1),
                new SeedAggregate.Point(3, 0.7, 0.7, 0.7, 1)), points);
    }

    @Test
    void nonFiniteValuesAreSkipped() {
        Map<Integer, Double> withNaN = new HashMap<>();
        withNaN.put(1, Double.NaN);
        withNaN.put(2, Double.POSITIVE_INFINITY);
        withNaN.put(3, null);
        withNaN.put(4, 2.0);
        List<SeedAggregate.Point> points = SeedAggregate.byX(List.of(withNaN, Map.of(1, 1.0)));
        assertEquals(List.of(
                new SeedAggregate.Point(1, 1.0, 1.0, 1.0, 1),
                new SeedAggregate.Point(4, 2.0, 2.0, 2.0, 1)), points);
    }

    @Test
    void xComesOutInIncreasingOrder() {
        List<SeedAggregate.Point> points = SeedAggregate.byX(List.of(Map.of(5, 1.0, 2, 2.0, 9, 3.0)));
        assertEquals(List.of(2, 5, 9), points.stream().map(SeedAggregate.Point::x).toList());
        assertEquals(List.of(), SeedAggregate.byX(List.of()));
    }
}
