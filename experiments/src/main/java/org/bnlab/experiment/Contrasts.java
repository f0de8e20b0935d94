package org.bnlab.experiment;

import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Contrast resolved = resolvedOrAsWritten(contrast, runs.stream().map(settings).toList());
        List<R> treatment = runs.stream().filter(r -> Settings.matches(resolved.treatment(), settings.apply(r)))
                .toList();
        List<R> baseline = runs.stream().filter(r -> Settings.matches(resolved.baseline(), settings.apply(r)))
                .toList();
        List<String> others = others(resolved, treatment, baseline, settings, arms, zipped);
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

    /**
     * {@code contrast} with both selectors {@linkplain #resolve resolved} against {@code runs} (each run's settings).
     *
     * @throws UnresolvedSelector for the first value that names several of the runs' values, or none of its type
     */
    public static Contrast resolved(Contrast contrast, List<Map<String, String>> runs) {
        return new Contrast(contrast.name(), resolve(contrast.treatment(), runs), resolve(contrast.baseline(), runs),
                contrast.metric(), contrast.where());
    }

    /** As {@link #resolved}, but a selector that does not resolve is kept as written (it then selects no run). */
    private static Contrast resolvedOrAsWritten(Contrast contrast, List<Map<String, String>> runs) {
        try {
            return resolved(contrast, runs);
        } catch (UnresolvedSelector e) {
            return contrast;
        }
    }

    /**
     * {@code selector} (dotted path -> value) with each value that names a typed setting in a short form replaced
     * by the one value the runs take at that path that it names. For {@code model.normalization} arms
     * {@code batchnorm} and {@code {type:groupnorm,groups:8}} (the arm's label in reports), {@code groupnorm},
     * {@code gn}, {@code groupnorm(groups=8)} and {@code {type: groupnorm, groups: 8}} all name the second: a
     * type by its name or (for normalizers) an alias, each parameter given compared as a value with the run's
     * resolved parameter (its default included). A value equal to a run's value, or whose type no run's value has,
     * is kept as written (so that a value that selects nothing is reported as such).
     *
     * @param runs each run's settings, dotted path -> value
     * @throws UnresolvedSelector naming the path when a value names several of the runs' values of its type, or
     *                            none of them
     */
    public static Map<String, String> resolve(Map<String, String> selector, List<Map<String, String>> runs) {
        Map<String, String> resolved = new LinkedHashMap<>();
        selector.forEach((path, value) -> resolved.put(path, resolve(path, value, runs)));
        return resolved;
    }

    /** A selector's value that names several values of the runs at its path, or none of those of its type. */
    public static final class UnresolvedSelector extends IllegalArgumentException {
        private final String path;

        UnresolvedSelector(String path, String message) {
            super(message);
            this.path = path;
        }

        /** The dotted path whose value did not resolve. */
        public String path() {
            return path;
        }
    }

    private static String resolve(String path, String declared, List<Map<String, String>> runs) {
        if (runs.stream().anyMatch(r -> Settings.same(declared, r.get(path)))) {
            return declared;
        }
        Optional<Typed> wanted = typed(path, declared);
        if (wanted.isEmpty()) {
            return declared;
        }
        Set<String> ofType = new LinkedHashSet<>();
        Set<String> named = new LinkedHashSet<>();
        for (Map<String, String> run : runs) {
            String value = run.get(path);
            Optional<Typed> actual = value == null ? Optional.empty() : typed(path, value);
            if (actual.isEmpty() || !actual.get().type().equals(wanted.get().type())) {
                continue;
            }
            ofType.add(value);
            boolean all = wanted.get().parameters().entrySet().stream().allMatch(e -> Settings.same(e.getValue(),
                    run.getOrDefault(path + "." + e.getKey(), actual.get().parameters().get(e.getKey()))));
            if (all) {
                named.add(value);
            }
        }
        if (ofType.isEmpty() || named.size() == 1) {
            return ofType.isEmpty() ? declared : named.iterator().next();
        }
        if (named.isEmpty()) {
            throw new UnresolvedSelector(path, "'" + declared + "' names none of the runs' values of type "
                    + wanted.get().type() + " (" + String.join(", ", ofType) + ")");
        }
        List<String> forms = named.stream().map(v -> typed(path, v).orElseThrow().shortForm()).toList();
        throw new UnresolvedSelector(path, "'" + declared + "' is ambiguous: it names " + String.join(", ", named)
                + "; write one of them or its short form (" + String.join(", ", forms) + ")");
    }

    /** A value with a type and parameters, e.g. {@code groupnorm} with {@code groups=8}. */
    private record Typed(String type, Map<String, String> parameters) {
        /** {@code groupnorm(groups=8)}, or the bare type without parameters. */
        String shortForm() {
            return parameters.isEmpty() ? type : type + parameters.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    private static final Pattern SHORT_FORM = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)\\s*(?:\\((.*)\\))?");

    /**
     * Reads {@code {type:groupnorm,groups:8}} (a report's label; blanks allowed), {@code groupnorm(groups=8)}
     * ({@code :} also accepted) or a bare {@code groupnorm}; empty for anything else (a number, a list).
     */
    private static Optional<Typed> typed(String path, String text) {
        String s = text.strip();
        String type;
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher call = SHORT_FORM.matcher(s);
        if (s.startsWith("{") && s.endsWith("}")) {
            if (!parameters(s.substring(1, s.length() - 1), ":", parameters)) {
                return Optional.empty();
            }
            type = parameters.remove("type");
        } else if (call.matches()) {
            type = call.group(1);
            if (call.group(2) != null && !call.group(2).isBlank()
                    && !parameters(call.group(2), "=", parameters) && !parameters(call.group(2), ":", parameters)) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        if (type == null || type.isBlank()) {
            return Optional.empty();
        }
        String canonical = path.equals(NORMALIZATION)
                ? Normalizers.named(type).map(Normalizer::type).orElse(type.strip().toLowerCase(Locale.ROOT))
                : type.strip();
        return Optional.of(new Typed(canonical, parameters));
    }

    /** Reads {@code k<separator>v, ...} into {@code into}; false when a part lacks the separator. */
    private static boolean parameters(String text, String separator, Map<String, String> into) {
        into.clear();
        for (String part : text.split(",")) {
            int at = part.indexOf(separator);
            if (at <= 0) {
                return false;
            }
            into.put(part.substring(0, at).strip(), unquote(part.substring(at + separator.length()).strip()));
        }
        return true;
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static final String NORMALIZATION = "model.normalization";

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
