package org.bnlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * One dimension of an experiment's grid: the settings that change together and the values they take, step by step.
 * A plain grid axis has one path; a zipped axis has several paths whose lists have the same length and move
 * together (e.g. batch size with its scaled learning rate). The grid is the cartesian product of its axes.
 *
 * @param paths  dotted specification paths, e.g. {@code model.normalization}
 * @param steps  for each step, the value of each path (same order as {@code paths})
 * @param where  where it was declared, for errors ({@code experiments/x.yaml, line 9})
 */
public record Axis(List<String> paths, List<List<JsonNode>> steps, String where) {

    public Axis {
        paths = List.copyOf(paths);
        steps = steps.stream().map(List::copyOf).toList();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + paths + " has no values");
        }
    }

    /** A plain axis: one path, several values. */
    public static Axis of(String path, List<JsonNode> values, String where) {
        return new Axis(List.of(path), values.stream().map(List::of).toList(), where);
    }

    /** A zipped axis from path -> values, all lists of one length. */
    public static Axis zip(Map<String, List<JsonNode>> columns, String where) {
        List<String> paths = List.copyOf(columns.keySet());
        int length = columns.values().iterator().next().size();
        for (Map.Entry<String, List<JsonNode>> column : columns.entrySet()) {
            if (column.getValue().size() != length) {
                throw new IllegalArgumentException(where + ": zipped values must have one length, but "
                        + paths.get(0) + " has " + length + " and " + column.getKey() + " has "
                        + column.getValue().size());
            }
        }
        List<List<JsonNode>> steps = new java.util.ArrayList<>();
        for (int i = 0; i < length; i++) {
            int step = i;
            steps.add(paths.stream().map(p -> columns.get(p).get(step)).toList());
        }
        return new Axis(paths, steps, where);
    }

    public int size() {
        return steps.size();
    }
}
