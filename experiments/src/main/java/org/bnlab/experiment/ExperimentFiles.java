package org.bnlab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bnlab.spec.Origins;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.SpecException;
import org.bnlab.spec.StrictYaml;
import org.bnlab.spec.YamlKeyLines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads experiment files (YAML). A file holds only what it changes (as in Hydra):
 *
 * <pre>
 * name: lr-sweep                       # required; the results folder is results/&lt;name&gt;
 * question: Does BN tolerate larger learning rates?
 * source: Ioffe and Szegedy 2015, section 4.2
 * extends: bn-vs-nobn.yaml             # optional: start from another file (beside this one, or a ready one)
 * base:                                # changes to the default specification, nested or dotted keys
 *   data.train_per_class: 500
 * grid:                                # axes over any dotted path: the cartesian product
 *   train.learning_rate: [0.01, 0.1, 1]
 * zip:                                 # optional: values that move together, one axis per list entry
 *   - model.normalization: [batchnorm, none, none]
 *     model.init: [he, he, zero-residual]
 * seeds: [1, 2, 3]
 * contrasts:                           # "path: treatment vs baseline", or {name, treatment, baseline}
 *   - "model.normalization: batchnorm vs none"
 * references:                          # optional: published values beside the measured ones
 *   - {match: {model.depth: 20}, metric: test_error_pct, value: 8.75, source: "He et al. 2016, Table 6"}
 * analyze: true                        # optional: bnlab run analyses the finished runs (bnlab analyze) before
 *                                      # the report, in each run's eval.modes
 * </pre>
 *
 * <p>With {@code extends}, the child's {@code base} is applied over the parent's. Each of {@code grid}, {@code zip},
 * {@code seeds}, {@code contrasts} and {@code references} that the child gives replaces that part of the parent's and
 * only that part: a child's {@code grid} replaces the parent's grid and keeps its zip, a child's {@code zip} replaces
 * the parent's zip and keeps its grid; {@code zip: []} or {@code grid: {}} drops the inherited one. A path varied by
 * two axes (a child's grid axis over a path of the inherited zip) and a path of the child's {@code base} that an axis
 * varies (the axis would override it) are refused. {@code extends: NAME} is looked up beside the file ({@code NAME},
 * then {@code NAME.yaml}), else among the ready experiments ({@link #readyFolder()}), as {@code bnlab run NAME}.
 * {@link #inheritance(Path)} says what a file kept and replaced.
 *
 * <p>The YAML is read strictly ({@link StrictYaml}): a key written twice is refused, an alias is its anchor's value.
 * Errors name the file, the line and the key.
 */
public final class ExperimentFiles {

    private static final Set<String> KEYS = Set.of("name", "question", "source", "extends", "base", "grid", "zip",
            "seeds", "contrasts", "references", "analyze");

    private ExperimentFiles() {
    }

    /**
     * Reads an experiment file and the files it extends.
     *
     * @throws SpecException naming the file, line and key, for a missing file, bad YAML, an unknown key, a bad
     *                       value or an {@code extends} cycle
     */
    public static Experiment load(Path file) {
        return read(file).experiment();
    }

    /**
     * What a file that {@code extends} another took from it and what it replaced, as one line for {@code bnlab
     * plan}: {@code extends experiments/lr-sweep.yaml: keeps its grid (train.learning_rate), zip
     * (model.normalization+model.init); replaces its seeds [1, 2, 3]}; null for a file that extends none.
     *
     * @throws SpecException as {@link #load(Path)}
     */
    public static String inheritance(Path file) {
        return read(file).inherited();
    }

    /**
     * The ready experiments' folder, where {@code bnlab run NAME} and {@code extends: NAME} find a name:
     * {@code experiments/} under {@code -Dbnlab.home} (set by scripts/bnlab), else under the working directory.
     */
    public static Path readyFolder() {
        String home = System.getProperty("bnlab.home");
        return (home == null ? Path.of("") : Path.of(home)).resolve("experiments");
    }

    private static Loaded read(Path file) {
        return load(file.toAbsolutePath().normalize(), new HashSet<>(), file);
    }

    /** A file read: the experiment, its grid and zip axes apart (a child replaces each on its own), and the line. */
    private record Loaded(Experiment experiment, List<Axis> grid, List<Axis> zip, String inherited) {
    }

    private static Loaded load(Path file, Set<Path> seen, Path shown) {
        if (!seen.add(file)) {
            throw new SpecException(shown + ": 'extends' makes a cycle through " + file.getFileName());
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException("no experiment file " + shown);
        } catch (IOException e) {
            throw new SpecException("cannot read experiment file " + shown + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = StrictYaml.read(text, shown.toString());
        } catch (JsonProcessingException e) {
            throw new SpecException(shown + ": not valid YAML: " + SpecCodec.oneLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(shown + ": an experiment file must be a mapping with at least 'name'");
        }
        FileContext at = new FileContext(shown, YamlKeyLines.of(text));
        Iterator<String> keys = root.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new SpecException(at.where(key) + ": unknown key '" + key + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        Loaded loaded = null;
        Path parentShown = null;
        if (root.hasNonNull("extends")) {
            Path[] found = parentFile(file, shown, text(root, "extends", at), at);
            parentShown = found[1];
            loaded = load(found[0], seen, parentShown);
        }
        Experiment parent = loaded == null ? null : loaded.experiment();
        ObjectNode base = parent == null ? JsonNodeFactory.instance.objectNode() : parent.base().deepCopy();
        Origins origins = new Origins();
        if (parent != null) {
            origins.addAll(parent.origins());
        }
        List<String> ownBase = new ArrayList<>();
        SpecCodec.merge(base, root.get("base"), "", origins, path -> {
            ownBase.add(path);
            return at.where("base." + path);
        });
        List<Axis> grid = root.has("grid") ? grid(root, at) : loaded == null ? List.of() : loaded.grid();
        List<Axis> zip = root.has("zip") ? zip(root, at) : loaded == null ? List.of() : loaded.zip();
        List<Axis> axes = new ArrayList<>(grid);
        axes.addAll(zip);
        Set<Axis> inherited = new HashSet<>();
        if (loaded != null) {
            inherited.addAll(loaded.grid());
            inherited.addAll(loaded.zip());
        }
        requireOneAxisPerPath(axes, inherited, parentShown);
        requireBaseNotVaried(ownBase, axes, inherited, parentShown, at);
        try {
            Experiment experiment = new Experiment(
                    root.hasNonNull("name") ? text(root, "name", at) : null,
                    root.has("question") ? text(root, "question", at) : parent == null ? "" : parent.question(),
                    root.has("source") ? text(root, "source", at) : parent == null ? "" : parent.source(),
                    base, origins, axes,
                    root.has("seeds") ? seeds(root.get("seeds"), at) : parent == null ? List.of() : parent.seeds(),
                    root.has("contrasts") ? contrasts(root.get("contrasts"), at)
                            : parent == null ? List.of() : parent.contrasts(),
                    root.has("references") ? references(root.get("references"), at)
                            : parent == null ? List.of() : parent.references(),
                    root.has("analyze") ? flag(root, "analyze", at) : parent != null && parent.analyze());
            return new Loaded(experiment, grid, zip,
                    loaded == null ? null : inheritanceLine(root, loaded, parentShown));
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(shown + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file {@code extends: name} names: beside the extending file ({@code name}, then {@code name.yaml}), else
     * a ready experiment ({@link #readyFolder()}), as {@code bnlab run NAME} finds it.
     *
     * @return the file (absolute) and the file as shown in messages
     */
    private static Path[] parentFile(Path file, Path shown, String name, FileContext at) {
        List<String> names = name.endsWith(".yaml") ? List.of(name) : List.of(name, name + ".yaml");
        for (String candidate : names) {
            if (Files.isRegularFile(file.resolveSibling(candidate))) {
                return new Path[]{file.resolveSibling(candidate).normalize(), shown.resolveSibling(candidate)};
            }
        }
        for (String candidate : names) {
            Path ready = readyFolder().resolve(candidate);
            if (Files.isRegularFile(ready)) {
                return new Path[]{ready.toAbsolutePath().normalize(), ready};
            }
        }
        throw new SpecException(at.where("extends") + ": extends: no experiment file " + name + " beside "
                + shown.getFileName() + " nor among the ready experiments in " + readyFolder()
                + " (bnlab list shows them)");
    }

    /**
     * Refuses a path varied by two axes: the later would overwrite the earlier's values of it in some runs (a grid
     * axis over a path of an inherited zip, or the same path in a file's grid and zip).
     */
    private static void requireOneAxisPerPath(List<Axis> axes, Set<Axis> inherited, Path parent) {
        Map<String, Axis> owner = new LinkedHashMap<>();
        for (Axis axis : axes) {
            for (String path : axis.paths()) {
                Axis first = owner.putIfAbsent(path, axis);
                if (first != null && first != axis) {
                    Axis own = inherited.contains(axis) ? first : axis;
                    Axis other = own == axis ? first : axis;
                    throw new SpecException(own.where() + ": " + path + " is also varied by "
                            + (inherited.contains(other) ? "the axis inherited from " + parent + " " : "the axis ")
                            + String.join("+", other.paths()) + " (" + other.where() + "); a path is varied by one "
                            + "axis only" + (inherited.contains(other) ? " (a file's own grid: replaces the inherited "
                            + "grid, its own zip: the inherited zip; zip: [] drops it)" : ""));
                }
            }
        }
    }

    /** Refuses a setting of this file's base that an axis varies: the axis would override it in every run. */
    private static void requireBaseNotVaried(List<String> ownBase, List<Axis> axes, Set<Axis> inherited,
                                             Path parent, FileContext at) {
        for (String path : ownBase) {
            for (Axis axis : axes) {
                for (String varied : axis.paths()) {
                    if (path.equals(varied) || path.startsWith(varied + ".")) {
                        throw new SpecException(at.where("base." + path) + ": base." + path + ": " + varied
                                + " is varied by " + (inherited.contains(axis) ? "the axis inherited from " + parent
                                + " " : "the axis ") + String.join("+", axis.paths()) + " (" + axis.where()
                                + "), which would override this value in every run; " + (inherited.contains(axis)
                                ? "give this file its own grid: or zip: without that axis (zip: [] drops the "
                                + "inherited zip, grid: {} the inherited grid)"
                                : "set it in base or vary it, not both"));
                    }
                }
            }
        }
    }

    /** The line of {@link #inheritance(Path)}. */
    private static String inheritanceLine(JsonNode root, Loaded parent, Path parentShown) {
        List<String> kept = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("grid", axesText(parent.grid()));
        parts.put("zip", axesText(parent.zip()));
        parts.put("seeds", parent.experiment().seeds().isEmpty() ? "" : parent.experiment().seeds().toString());
        parts.forEach((part, text) -> {
            if (!text.isEmpty()) {
                (root.has(part) ? replaced : kept).add(part + " " + text);
            }
        });
        String line = "extends " + parentShown + ": ";
        if (kept.isEmpty() && replaced.isEmpty()) {
            return line + "its base (it has no grid, zip or seeds)";
        }
        return line + (kept.isEmpty() ? "" : "keeps its " + String.join(", ", kept))
                + (kept.isEmpty() || replaced.isEmpty() ? "" : "; ")
                + (replaced.isEmpty() ? "" : "replaces its " + String.join(", ", replaced));
    }

    private static String axesText(List<Axis> axes) {
        return axes.isEmpty() ? "" : "(" + String.join(", ", axes.stream()
                .map(a -> String.join("+", a.paths())).toList()) + ")";
    }

    private static List<Axis> grid(JsonNode root, FileContext at) {
        List<Axis> axes = new ArrayList<>();
        JsonNode grid = root.get("grid");
        if (grid != null && !grid.isNull()) {
            requireMapping(grid, "grid", at);
            grid.fields().forEachRemaining(e -> axes.add(Axis.of(e.getKey(),
                    values(e.getValue(), "grid." + e.getKey(), at), at.where("grid." + e.getKey()))));
        }
        return axes;
    }

    private static List<Axis> zip(JsonNode root, FileContext at) {
        List<Axis> axes = new ArrayList<>();
        JsonNode zip = root.get("zip");
        if (zip != null && !zip.isNull()) {
            if (!zip.isArray()) {
                throw new SpecException(at.where("zip") + ": zip must be a list of mappings (path: [values])");
            }
            for (JsonNode group : zip) {
                requireMapping(group, "zip", at);
                Map<String, List<JsonNode>> columns = new LinkedHashMap<>();
                group.fields().forEachRemaining(e -> columns.put(e.getKey(),
                        values(e.getValue(), "zip[]." + e.getKey(), at)));
                String where = at.where("zip[]." + columns.keySet().iterator().next());
                try {
                    axes.add(Axis.zip(columns, where));
                } catch (IllegalArgumentException e) {
                    throw new SpecException(e.getMessage(), e);
                }
            }
        }
        return axes;
    }

    private static List<JsonNode> values(JsonNode node, String key, FileContext at) {
        if (!node.isArray() || node.isEmpty()) {
            throw new SpecException(at.where(key) + ": " + key + " must be a non-empty list of values");
        }
        List<JsonNode> values = new ArrayList<>();
        node.forEach(values::add);
        return values;
    }

    private static List<Long> seeds(JsonNode node, FileContext at) {
        List<Long> seeds = new ArrayList<>();
        if (!node.isArray()) {
            throw new SpecException(at.where("seeds") + ": seeds must be a list of integers, e.g. [1, 2, 3]");
        }
        for (JsonNode seed : node) {
            if (!seed.canConvertToLong() || !seed.isIntegralNumber()) {
                throw new SpecException(at.where("seeds") + ": seeds must be integers, got " + seed);
            }
            seeds.add(seed.asLong());
        }
        return seeds;
    }

    private static final Set<String> CONTRAST_KEYS = Set.of("name", "treatment", "baseline", "metric");

    private static List<Contrast> contrasts(JsonNode node, FileContext at) {
        if (!node.isArray()) {
            throw new SpecException(at.where("contrasts") + ": contrasts must be a list");
        }
        List<Integer> lines = itemLines(at.file(), "contrasts");
        List<Contrast> contrasts = new ArrayList<>();
        int item = 0;
        for (JsonNode entry : node) {
            String where = item < lines.size() ? at.file() + ", line " + lines.get(item) : at.where("contrasts");
            item++;
            if (entry.isTextual()) {
                contrasts.add(parseContrast(entry.asText(), where));
            } else if (entry.isObject()) {
                entry.fieldNames().forEachRemaining(key -> {
                    if (!CONTRAST_KEYS.contains(key)) {
                        throw new SpecException(where + ": contrasts[]." + key + ": unknown key (known: "
                                + String.join(", ", CONTRAST_KEYS.stream().sorted().toList()) + ")");
                    }
                });
                String metric = entry.hasNonNull("metric") ? entry.get("metric").asText() : Contrast.FINAL_ACCURACY;
                if (!Contrast.METRICS.contains(metric)) {
                    throw new SpecException(where + ": contrasts[].metric: unknown metric '" + metric + "' (known: "
                            + String.join(", ", Contrast.METRICS) + ")");
                }
                contrasts.add(new Contrast(entry.hasNonNull("name") ? entry.get("name").asText() : null,
                        selector(entry.get("treatment"), "contrasts[].treatment", where),
                        selector(entry.get("baseline"), "contrasts[].baseline", where), metric, where));
            } else {
                throw new SpecException(where + ": a contrast is \"path: A vs B\" or a mapping with "
                        + "treatment and baseline, got " + entry);
            }
        }
        return contrasts.stream().map(c -> c.name() != null ? c
                : new Contrast(Contrasts.defaultName(c), c.treatment(), c.baseline(), c.metric(), c.where()))
                .toList();
    }

    /**
     * {@code "model.normalization: batchnorm vs none"}: treatment batchnorm, baseline none. Each side is read as a
     * value of the specification is ({@code 1e-1} is 0.1).
     */
    static Contrast parseContrast(String text, String where) {
        int colon = text.indexOf(':');
        String[] sides = colon < 0 ? new String[0] : text.substring(colon + 1).split("\\s+vs\\s+");
        if (colon < 0 || sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
            throw new SpecException(where + ": contrasts: cannot read contrast '" + text
                    + "' (expected \"path: treatment vs baseline\")");
        }
        String path = text.substring(0, colon).strip();
        return new Contrast(null, Map.of(path, value(sides[0].strip(), where)),
                Map.of(path, value(sides[1].strip(), where)), Contrast.FINAL_ACCURACY, where);
    }

    private static String value(String text, String where) {
        try {
            return SpecCodec.label(SpecCodec.parseValue(text));
        } catch (SpecException e) {
            throw new SpecException(where + ": contrasts: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> selector(JsonNode node, String key, String where) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new SpecException(where + ": " + key + " must be a mapping of paths to values");
        }
        Map<String, String> selector = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> selector.put(e.getKey(), SpecCodec.label(e.getValue())));
        return selector;
    }

    private static List<Reference> references(JsonNode node, FileContext at) {
        if (!node.isArray()) {
            throw new SpecException(at.where("references") + ": references must be a list");
        }
        List<Integer> lines = itemLines(at.file(), "references");
        List<Reference> references = new ArrayList<>();
        int item = 0;
        for (JsonNode entry : node) {
            String where = item < lines.size() ? at.file() + ", line " + lines.get(item) : at.where("references");
            item++;
            if (!entry.isObject() || !entry.has("metric") || !entry.has("value") || !entry.get("value").isNumber()) {
                throw new SpecException(where + ": references: a reference needs match, metric and a numeric "
                        + "value, got " + entry);
            }
            try {
                references.add(new Reference(selector(entry.get("match"), "references[].match", where),
                        entry.get("metric").asText(), entry.get("value").asDouble(),
                        entry.hasNonNull("source") ? entry.get("source").asText() : "", where));
            } catch (IllegalArgumentException e) {
                throw new SpecException(where + ": references: " + e.getMessage(), e);
            }
        }
        return references;
    }

    /**
     * The 1-based lines of the items of the block list under the top-level {@code key} ({@code - ...} lines), so
     * that an error names the item; empty for a flow list ({@code [a, b]}) or a file that cannot be read again.
     */
    private static List<Integer> itemLines(Path file, String key) {
        List<String> text;
        try {
            text = Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        List<Integer> lines = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).matches(java.util.regex.Pattern.quote(key) + "\\s*:\\s*(#.*)?")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return List.of();
        }
        int indent = -1;
        for (int i = start + 1; i < text.size(); i++) {
            String line = text.get(i);
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            int here = line.length() - line.stripLeading().length();
            if (!stripped.startsWith("-")) {
                if (here == 0) {
                    break;
                }
                continue;
            }
            if (indent < 0) {
                indent = here;
            }
            if (here == indent) {
                lines.add(i + 1);
            } else if (here < indent) {
                break;
            }
        }
        return lines;
    }

    private static void requireMapping(JsonNode node, String key, FileContext at) {
        if (!node.isObject()) {
            throw new SpecException(at.where(key) + ": " + key + " must be a mapping of paths to lists of values");
        }
    }

    private static boolean flag(JsonNode root, String key, FileContext at) {
        JsonNode value = root.get(key);
        if (value == null || !value.isBoolean()) {
            throw new SpecException(at.where(key) + ": " + key + " must be true or false, got " + value);
        }
        return value.asBoolean();
    }

    private static String text(JsonNode root, String key, FileContext at) {
        JsonNode value = root.get(key);
        if (value == null || !value.isValueNode()) {
            throw new SpecException(at.where(key) + ": " + key + " must be text");
        }
        return value.asText();
    }

    /** A file and its key lines: {@code where("grid.x")} is {@code file, line N}. */
    record FileContext(Path file, YamlKeyLines lines) {
        String where(String key) {
            int line = lines.line(key);
            return file + (line > 0 ? ", line " + line : "");
        }
    }
}
