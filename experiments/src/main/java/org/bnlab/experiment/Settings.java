package org.bnlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import org.bnlab.spec.SpecCodec;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A run's resolved settings as dotted path -> value text, and the matching of declared values (contrasts,
 * references) against them as values: {@code 1e-1} is {@code 0.1}, {@code 0.00001} is {@code 1e-5}.
 */
public final class Settings {

    /** Keys that say where the data lives, not what was trained: never an arm, never a reason to keep runs apart. */
    public static final Set<String> LOCATION = Set.of("data.root", "data.download");

    private Settings() {
    }

    /**
     * Every setting of a specification tree: each leaf under its dotted path ({@link SpecCodec#label}), and each
     * mapping with a {@code type} under its own path as that type (so that {@code model.normalization} reads
     * {@code batchnorm} whatever its parameters).
     */
    public static Map<String, String> of(JsonNode tree) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", tree, flat);
        return flat;
    }

    /** A planned run's settings: its resolved specification, with the axis values as the plan labels them. */
    public static Map<String, String> of(PlannedRun run) {
        Map<String, String> settings = of(SpecCodec.tree(run.spec()));
        settings.putAll(run.assignments());
        settings.put(ExperimentPlan.SEED, Long.toString(run.spec().seed()));
        return settings;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
        if (node.isObject()) {
            if (!prefix.isEmpty() && node.has("type")) {
                flat.put(prefix, node.get("type").asText());
            }
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), flat));
        } else {
            flat.put(prefix, SpecCodec.label(node));
        }
    }

    /** Whether a declared value and a run's value are the same value: equal text, or equal numbers. */
    public static boolean same(String declared, String actual) {
        if (declared == null || actual == null) {
            return false;
        }
        if (declared.equals(actual)) {
            return true;
        }
        BigDecimal a = number(declared);
        BigDecimal b = number(actual);
        return a != null && b != null && a.compareTo(b) == 0;
    }

    /** Whether {@code settings} hold every value of {@code selector} (path -> value). */
    public static boolean matches(Map<String, String> selector, Map<String, String> settings) {
        return selector.entrySet().stream().allMatch(e -> same(e.getValue(), settings.get(e.getKey())));
    }

    private static BigDecimal number(String text) {
        if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || "+-.".indexOf(text.charAt(0)) >= 0)) {
            return null;
        }
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
