package org.bnlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Names of {@link Contrast}s, and which runs a contrast compares with which (for the plan and the report alike). */
public final class Contrasts {

    private Contrasts() {
    }

    /**
     * One comparison of a contrast: its treatment and baseline runs that agree on every other setting that keeps
     * runs apart.
     *
     * @param setting the values of those other settings, e.g. {@code depth=8, learning_rate=0.1} (empty when none)
     * @param others  their paths
     */
    public record Pair<R>(String setting, List<String> others, List<R> treatment, List<R> baseline) {
    }

    /**
     * The comparisons of {@code contrast} among {@code runs}: the runs matching the treatment and those matching the
     * baseline ({@link Settings#matches}), grouped by their values of every path of {@code arms} the contrast does
     * not name, paired where those values agree. A path zipped with a named path ({@code zipped}: the paths of each
     * zip axis) moves with it, and is left out of the grouping, when the treatment runs all have one value of it
     * and the baseline runs all have one value of it (BN with He against no BN with zero-residual, zipped).
     *
     * @param settings a run's settings, dotted path -> value (every resolved setting, the arms' values included)
     * @param arms     the paths whose values keep runs apart, in order (seed not among them)
     * @param shortName how {@code setting} names a path
     */
    public static <R> List<Pair<R>> pairs(Contrast contrast, List<R> runs, Function<R, Map<String, String>> settings,
                                          List<String> arms, List<List<String>> zipped,
                                          Function<String, String> shortName) {
        List<R> treatment = runs.stream().filter(r -> Settings.matches(contrast.treatment(), settings.apply(r)))
                .toList();
        List<R> baseline = runs.stream().filter(r -> Settings.matches(contrast.baseline(), settings.apply(r)))
                .toList();
        List<String> others = others(contrast, treatment, baseline, settings, arms, zipped);
        Map<String, List<R>> t = bySetting(treatment, others, settings, shortName);
        Map<String, List<R>> b = bySetting(baseline, others, settings, shortName);
        List<Pair<R>> pairs = new ArrayList<>();
        t.forEach((key, side) -> {
            if (b.containsKey(key)) {
                pairs.add(new Pair<>(key, others, side, b.get(key)));
            }
        });
        return pairs;
    }

    /** The paths of {@code arms} a contrast's two sides must agree on. */
    static <R> List<String> others(Contrast contrast, List<R> treatment, List<R> baseline,
                                   Function<R, Map<String, String>> settings, List<String> arms,
                                   List<List<String>> zipped) {
        Set<String> named = new LinkedHashSet<>(contrast.treatment().keySet());
        named.addAll(contrast.baseline().keySet());
        Set<String> moving = new LinkedHashSet<>();
        for (List<String> zip : zipped) {
            if (zip.stream().noneMatch(named::contains)) {
                continue;
            }
            for (String partner : zip) {
                if (!named.contains(partner) && distinct(treatment, partner, settings) == 1
                        && distinct(baseline, partner, settings) == 1) {
                    moving.add(partner);
                }
            }
        }
        return arms.stream().filter(p -> !named.contains(p) && !moving.contains(p)).toList();
    }

    private static <R> long distinct(List<R> runs, String path, Function<R, Map<String, String>> settings) {
        return runs.stream().map(r -> settings.apply(r).getOrDefault(path, "")).distinct().count();
    }

    private static <R> Map<String, List<R>> bySetting(List<R> runs, List<String> others,
                                                      Function<R, Map<String, String>> settings,
                                                      Function<String, String> shortName) {
        Map<String, List<R>> groups = new LinkedHashMap<>();
        for (R run : runs) {
            Map<String, String> s = settings.apply(run);
            String key = others.stream().map(p -> shortName.apply(p) + "=" + s.getOrDefault(p, ""))
                    .collect(Collectors.joining(", "));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
        }
        return groups;
    }

    /** {@code normalization=batchnorm vs normalization=none, init=zero-residual}: the selectors' leaves and values. */
    static String defaultName(Contrast contrast) {
        return describe(contrast.treatment()) + " vs " + describe(contrast.baseline());
    }

    private static String describe(Map<String, String> selector) {
        return selector.entrySet().stream()
                .map(e -> leaf(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
