package org.bnlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bnlab.spec.Origins;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.SpecException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment expanded into its runs: the cartesian product of its axes, once per seed (seeds outermost, so that
 * an interrupted grid has whole seeds of every arm first), each resolved into a {@link RunSpec}: defaults, then the
 * experiment's base, then the run's axis values and seed, then {@code --set} overrides.
 *
 * <p>{@code --set path=value} on a path that is an axis narrows the axis: a plain axis becomes that one value, a
 * zipped axis keeps the steps whose value matches (so {@code --set model.init=he} keeps the He arms);
 * {@code --set seed=N} runs seed N only. {@code --grid path=a,b,c} adds an axis or replaces one; its values are split
 * at the commas outside brackets, braces and quotes, each read as YAML ({@code --grid
 * train.schedule.milestones=[0.5,0.75],[0.3,0.6]} is two values). A {@code --set} of a
 * parameter of an axis value ({@code model.normalization.decay} where {@code model.normalization} is an axis)
 * applies to the runs whose value has that parameter (the BN arms, not the arms without normalization); it is an
 * error only when it fits none of them.
 *
 * @param experiment the experiment as declared
 * @param runs       the runs in order
 * @param varying    the dotted paths whose value differs between runs ({@code seed} included when it does)
 * @param overrides  the command-line changes it was expanded with, as typed ({@code --set train.epochs=2},
 *                   {@code --grid seed=1,2}), so that a report can say what was run
 */
public record ExperimentPlan(Experiment experiment, List<PlannedRun> runs, List<String> varying,
                             List<String> overrides) {

    public static final String SEED = "seed";
    static final String INIT_FROM = "model.init_from";

    public ExperimentPlan {
        runs = List.copyOf(runs);
        varying = List.copyOf(varying);
        overrides = List.copyOf(overrides);
    }

    /** Expands an experiment as declared. */
    public static ExperimentPlan expand(Experiment experiment) {
        return expand(experiment, List.of(), List.of());
    }

    /**
     * Expands an experiment with command-line changes.
     *
     * @param sets  {@code path=value} overrides ({@code --set})
     * @param grids {@code path=v1,v2,...} axes to add or replace ({@code --grid})
     * @throws SpecException if an override is malformed or a run's specification is invalid (naming where)
     */
    public static ExperimentPlan expand(Experiment experiment, List<String> sets, List<String> grids) {
        List<Axis> axes = new ArrayList<>(experiment.axes());
        List<Long> seeds = new ArrayList<>(experiment.seeds());
        for (String grid : grids) {
            String[] pair = split(grid, "--grid");
            List<JsonNode> values = new ArrayList<>();
            for (String value : gridValues(pair[1], grid)) {
                values.add(parseGridValue(value, grid));
            }
            if (pair[0].equals(SEED)) {
                seeds = values.stream().map(v -> seedOf(v, "--grid " + grid)).toList();
                continue;
            }
            for (Axis axis : axes) {
                if (axis.paths().size() > 1 && axis.paths().contains(pair[0])) {
                    // a second axis on one path would overwrite the zip's values of it in some runs
                    throw new SpecException("--grid " + grid + ": " + pair[0] + " moves together with "
                            + axis.paths() + " in a zip (" + axis.where() + "); --set " + pair[0]
                            + "=VALUE keeps the zip's steps with that value, or change the zip in the file");
                }
            }
            axes.removeIf(a -> a.paths().size() == 1 && a.paths().get(0).equals(pair[0]));
            axes.add(Axis.of(pair[0], values, "--grid " + grid));
        }
        Map<String, JsonNode> plainSets = new LinkedHashMap<>();
        for (String set : sets) {
            String[] pair = split(set, "--set");
            JsonNode value = SpecCodec.parseValue(pair[1]);
            if (pair[0].equals(SEED)) {
                seeds = List.of(seedOf(value, "--set " + set));
                continue;
            }
            int axisIndex = axisOf(axes, pair[0]);
            if (axisIndex < 0) {
                plainSets.put(pair[0], value);
            } else {
                axes.set(axisIndex, narrow(axes.get(axisIndex), pair[0], value, set));
            }
        }
        if (seeds.isEmpty()) {
            seeds = List.of(Long.MIN_VALUE); // the specification's own seed
        }
        List<String> overrides = new ArrayList<>();
        sets.forEach(set -> overrides.add("--set " + set));
        grids.forEach(grid -> overrides.add("--grid " + grid));
        ExperimentPlan plan = build(experiment, axes, seeds, plainSets);
        return new ExperimentPlan(plan.experiment(), plan.runs(), plan.varying(), overrides);
    }

    private static ExperimentPlan build(Experiment experiment, List<Axis> axes, List<Long> seeds,
                                        Map<String, JsonNode> sets) {
        requireSize(experiment, axes, seeds);
        List<String> varying = new ArrayList<>();
        for (Axis axis : axes) {
            for (int p = 0; p < axis.paths().size(); p++) {
                int column = p;
                long distinct = axis.steps().stream().map(s -> SpecCodec.label(s.get(column))).distinct().count();
                if (distinct > 1 && !varying.contains(axis.paths().get(p))) {
                    varying.add(axis.paths().get(p));
                }
            }
        }
        if (seeds.size() > 1) {
            varying.add(SEED);
        }
        Map<String, String> shortNames = shortNames(varying);
        List<PlannedRun> runs = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        Map<String, JsonNode> parameterSets = new LinkedHashMap<>();
        sets.forEach((path, value) -> {
            if (axes.stream().flatMap(a -> a.paths().stream()).anyMatch(a -> path.startsWith(a + "."))) {
                parameterSets.put(path, value);
            }
        });
        Set<String> parameterSetsApplied = new HashSet<>();
        SpecException firstParameterError = null;
        for (long seed : seeds) {
            for (List<Integer> point : product(axes)) {
                Map<String, String> assignments = new LinkedHashMap<>();
                Origins origins = new Origins();
                ObjectNode tree = resolve(experiment, axes, point, seed, sets, varying, assignments, origins);
                RunSpec spec;
                try {
                    spec = SpecCodec.toSpec(tree, origins);
                    parameterSetsApplied.addAll(parameterSets.keySet());
                } catch (SpecException e) {
                    if (parameterSets.isEmpty()) {
                        throw e;
                    }
                    // the parameter does not exist for this run's value of the axis: leave it out here
                    firstParameterError = firstParameterError == null ? e : firstParameterError;
                    Map<String, JsonNode> without = new LinkedHashMap<>(sets);
                    parameterSets.keySet().forEach(without::remove);
                    assignments.clear();
                    origins = new Origins();
                    spec = SpecCodec.toSpec(resolve(experiment, axes, point, seed, without, varying, assignments,
                            origins), origins);
                }
                if (varying.contains(SEED)) {
                    assignments.put(SEED, Long.toString(spec.seed()));
                }
                String hash = SpecCodec.hash(spec);
                if (!hashes.add(hash)) {
                    Axis notRun = notIdentityAxis(axes);
                    if (notRun != null) {
                        throw new SpecException(notIdentityReason(experiment, notRun, assignments));
                    }
                    throw new SpecException("experiment " + experiment.name() + " expands to the same run twice ("
                            + assignments + "): two axis values resolve to one specification");
                }
                runs.add(new PlannedRun(runs.size(), id(assignments, shortNames, hash), assignments, spec, hash));
            }
        }
        if (firstParameterError != null && !parameterSetsApplied.containsAll(parameterSets.keySet())) {
            throw firstParameterError;
        }
        Set<String> armPaths = new HashSet<>();
        axes.stream().filter(a -> a.paths().contains(INIT_FROM)).forEach(a -> armPaths.addAll(a.paths()));
        return new ExperimentPlan(experiment, withSources(experiment, runs, shortNames, armPaths), varying, List.of());
    }

    /** The first axis that varies only keys outside a run's identity ({@link SpecCodec#isIdentity}), or null. */
    private static Axis notIdentityAxis(List<Axis> axes) {
        return axes.stream().filter(a -> a.paths().stream().noneMatch(SpecCodec::isIdentity)).findFirst()
                .orElse(null);
    }

    /**
     * Why an axis over keys outside a run's identity expands to the same run twice, and what does what the user
     * likely meant: the report at another target, an analysis at other settings.
     */
    private static String notIdentityReason(Experiment experiment, Axis axis, Map<String, String> assignments) {
        String path = axis.paths().get(0);
        String reason;
        if (path.equals("eval.target_accuracy")) {
            reason = "read only by the report, not by training; to see another target, train once and run: bnlab "
                    + "report DIR --target-accuracy VALUE";
        } else if (path.equals("measure.probe_layers")) {
            reason = "read only by the report (the layers it plots), not by training; set one value instead";
        } else if (path.startsWith("eval.")) {
            reason = "read only by bnlab analyze, not by training; to analyse the trained runs at other values, run: "
                    + "bnlab analyze DIR --set " + path + "=VALUE";
        } else {
            reason = "says only where the data lives, not what a run trains on; set one value instead";
        }
        return axis.where() + ": " + String.join("+", axis.paths()) + ": " + reason + ". It is not part of a run's "
                + "identity, so an axis over it trains no new run: experiment " + experiment.name()
                + " expands to the same run twice (" + assignments + ")";
    }

    /**
     * Resolves every {@code model.init_from} to its source run, orders the runs so that each source comes before the
     * runs that start from it (otherwise keeping the order), renumbers them, and gives each run that starts from
     * another a hash over its own specification's hash and its source's (so that a changed source is a new run).
     *
     * @throws SpecException if a source matches no run or several, or runs start from each other in a cycle
     */
    private static List<PlannedRun> withSources(Experiment experiment, List<PlannedRun> runs,
                                                Map<String, String> shortNames, Set<String> armPaths) {
        if (runs.stream().noneMatch(r -> r.spec().model().initFrom() != null)) {
            return runs;
        }
        Map<Integer, Integer> sourceOf = new HashMap<>();
        for (PlannedRun run : runs) {
            org.bnlab.spec.InitFromSpec from = run.spec().model().initFrom();
            if (from != null) {
                sourceOf.put(run.index(), sourceIndex(experiment, runs, run, from, armPaths));
            }
        }
        List<Integer> order = new ArrayList<>();
        Set<Integer> placed = new HashSet<>();
        for (PlannedRun run : runs) {
            place(run.index(), sourceOf, runs, order, placed, new ArrayList<>());
        }
        Map<Integer, PlannedRun> renumbered = new HashMap<>();
        List<PlannedRun> ordered = new ArrayList<>();
        for (int old : order) {
            PlannedRun run = runs.get(old);
            PlannedRun.Source source = null;
            String hash = run.hash();
            Integer from = sourceOf.get(old);
            if (from != null) {
                PlannedRun s = renumbered.get(from);
                source = new PlannedRun.Source(s.index(), s.id(), s.hash(),
                        run.spec().model().initFrom().parameters());
                hash = combinedHash(run.hash(), s.hash());
            }
            PlannedRun placedRun = new PlannedRun(ordered.size(), id(run.assignments(), shortNames, hash),
                    run.assignments(), run.spec(), hash, source);
            renumbered.put(old, placedRun);
            ordered.add(placedRun);
        }
        return ordered;
    }

    private static void place(int index, Map<Integer, Integer> sourceOf, List<PlannedRun> runs, List<Integer> order,
                              Set<Integer> placed, List<Integer> path) {
        if (placed.contains(index)) {
            return;
        }
        if (path.contains(index)) {
            List<String> cycle = new ArrayList<>();
            path.subList(path.indexOf(index), path.size()).forEach(i -> cycle.add(label(runs.get(i))));
            cycle.add(label(runs.get(index)));
            throw new SpecException("model.init_from: runs start from each other in a cycle: "
                    + String.join(" <- ", cycle));
        }
        path.add(index);
        Integer source = sourceOf.get(index);
        if (source != null) {
            place(source, sourceOf, runs, order, placed, path);
        }
        path.remove(path.size() - 1);
        placed.add(index);
        order.add(index);
    }

    /** The one run of {@code runs} that {@code run}'s {@code init_from} selects (see {@link org.bnlab.spec.InitFromSpec}). */
    private static int sourceIndex(Experiment experiment, List<PlannedRun> runs, PlannedRun run,
                                   org.bnlab.spec.InitFromSpec from, Set<String> armPaths) {
        List<PlannedRun> matches = new ArrayList<>();
        for (PlannedRun candidate : runs) {
            if (candidate != run && selects(run, from, candidate, armPaths)) {
                matches.add(candidate);
            }
        }
        if (matches.size() != 1) {
            throw new SpecException("model.init_from of run " + label(run) + " (match " + matchText(from) + ") "
                    + (matches.isEmpty() ? "selects no run of experiment " + experiment.name()
                    + ": the source must be a run of the same plan with those values and this run's values on the other axes"
                    : "selects " + matches.size() + " runs (" + String.join(", ", matches.stream()
                    .map(ExperimentPlan::label).toList()) + "); add the setting that tells them apart to match"));
        }
        return matches.get(0).index();
    }

    /**
     * Whether {@code candidate} has the values {@code from} matches and this run's values on every other varying
     * path, except the paths of the axis that {@code model.init_from} is on ({@code armPaths}: they define the arms).
     */
    private static boolean selects(PlannedRun run, org.bnlab.spec.InitFromSpec from, PlannedRun candidate,
                                   Set<String> armPaths) {
        JsonNode tree = SpecCodec.tree(candidate.spec());
        for (Map.Entry<String, JsonNode> wanted : from.match().entrySet()) {
            JsonNode value = SpecCodec.at(tree, wanted.getKey());
            if (value == null || !SpecCodec.label(value).equals(SpecCodec.label(wanted.getValue()))) {
                return false;
            }
        }
        for (Map.Entry<String, String> own : run.assignments().entrySet()) {
            String path = own.getKey();
            if (from.match().containsKey(path) || armPaths.contains(path) || path.startsWith(INIT_FROM + ".")) {
                continue;
            }
            if (!own.getValue().equals(candidate.assignments().get(path))) {
                return false;
            }
        }
        return true;
    }

    private static String matchText(org.bnlab.spec.InitFromSpec from) {
        List<String> parts = new ArrayList<>();
        from.match().forEach((path, value) -> parts.add(path + ": " + SpecCodec.label(value)));
        return "{" + String.join(", ", parts) + "}";
    }

    /** A run named by what varies (its id without the hash, which is not final yet). */
    private static String label(PlannedRun run) {
        String id = run.id();
        int cut = id.lastIndexOf('_');
        return cut > 0 ? id.substring(0, cut) : id;
    }

    /** 8 hex digits of SHA-256 over a run's own hash and its source's. */
    static String combinedHash(String ownHash, String sourceHash) {
        return org.bnlab.io.ShortHash.of(ownHash + " from " + sourceHash);
    }

    /** One run's specification tree: defaults, base, the axis values at {@code point}, the seed, then the sets. */
    private static ObjectNode resolve(Experiment experiment, List<Axis> axes, List<Integer> point, long seed,
                                      Map<String, JsonNode> sets, List<String> varying,
                                      Map<String, String> assignments, Origins origins) {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        origins.addAll(experiment.origins());
        SpecCodec.merge(tree, experiment.base(), "", null, null);
        for (int a = 0; a < axes.size(); a++) {
            Axis axis = axes.get(a);
            List<JsonNode> step = axis.steps().get(point.get(a));
            for (int p = 0; p < axis.paths().size(); p++) {
                String path = axis.paths().get(p);
                SpecCodec.set(tree, path, step.get(p));
                origins.record(path, axis.where());
                if (varying.contains(path)) {
                    assignments.put(path, SpecCodec.label(step.get(p)));
                }
            }
        }
        if (seed != Long.MIN_VALUE) {
            tree.put(SEED, seed);
        }
        for (Map.Entry<String, JsonNode> set : sets.entrySet()) {
            SpecCodec.set(tree, set.getKey(), set.getValue());
            origins.record(set.getKey(), "--set " + set.getKey());
        }
        return tree;
    }

    /** The run with this id, or with this label (the id without its hash), or this hash. */
    public PlannedRun find(String idOrLabel) {
        for (PlannedRun run : runs) {
            if (run.id().equals(idOrLabel) || run.hash().equals(idOrLabel)
                    || run.id().equals(idOrLabel + "_" + run.hash())) {
                return run;
            }
        }
        throw new IllegalArgumentException("experiment " + experiment.name() + " has no run '" + idOrLabel
                + "' (bnlab plan lists the run ids)");
    }

    /** The run at a 0-based index. */
    public PlannedRun at(int index) {
        if (index < 0 || index >= runs.size()) {
            throw new IllegalArgumentException("--index " + index + " is out of range: experiment "
                    + experiment.name() + " has " + runs.size() + " runs (0 to " + (runs.size() - 1) + ")");
        }
        return runs.get(index);
    }

    /**
     * 8 hex digits identifying the whole plan: SHA-256 over the runs' hashes in order. Two expansions with the same
     * fingerprint have the same runs at the same indices; {@code bnlab submit} passes it to its array tasks
     * ({@code bnlab run --expect-plan}), so that a task refuses to run index N of an experiment file edited since
     * the submission, where N may now be another run.
     */
    public String fingerprint() {
        StringBuilder hashes = new StringBuilder();
        for (PlannedRun run : runs) {
            hashes.append(run.hash()).append('\n');
        }
        return org.bnlab.io.ShortHash.of(hashes.toString());
    }

    /** How tables and labels call each varying path: its last segment, or the whole path where those collide. */
    public Map<String, String> shortNames() {
        return shortNames(varying);
    }

    private static Map<String, String> shortNames(List<String> paths) {
        Map<String, Integer> leafCount = new HashMap<>();
        paths.forEach(p -> leafCount.merge(Contrasts.leaf(p), 1, Integer::sum));
        Map<String, String> names = new LinkedHashMap<>();
        for (String path : paths) {
            names.put(path, leafCount.get(Contrasts.leaf(path)) > 1 ? path : Contrasts.leaf(path));
        }
        return names;
    }

    /**
     * The most characters of the readable part of a run id (what varies, before the hash), so that the id stays a
     * file name every file system takes (255 bytes on most); a longer one is cut there, and the hash keeps it unique.
     */
    public static final int MAX_LABEL = 200;

    /** The most runs a plan may have: a larger grid is refused before it is expanded. */
    public static final long MAX_RUNS = 100_000;

    private static String id(Map<String, String> assignments, Map<String, String> shortNames, String hash) {
        StringBuilder id = new StringBuilder();
        assignments.forEach((path, value) -> id.append(shortNames.get(path)).append('=')
                .append(value.replaceAll("[^A-Za-z0-9.+-]", "-")).append('_'));
        if (id.length() > MAX_LABEL + 1) {
            id.setLength(MAX_LABEL);
            id.append('_');
        }
        return id.append(hash).toString();
    }

    /**
     * Refuses a grid of more than {@link #MAX_RUNS} runs, computed from the axes' sizes and the seeds before any
     * run is expanded.
     */
    private static void requireSize(Experiment experiment, List<Axis> axes, List<Long> seeds) {
        long runs = seeds.size();
        StringBuilder sizes = new StringBuilder();
        for (Axis axis : axes) {
            runs = axis.size() > 0 && runs > Long.MAX_VALUE / axis.size() ? Long.MAX_VALUE : runs * axis.size();
            sizes.append(axis.size()).append(" x ");
        }
        if (runs > MAX_RUNS) {
            throw new SpecException("experiment " + experiment.name() + " expands to " + sizes + seeds.size()
                    + (seeds.size() == 1 ? " seed" : " seeds") + " = " + (runs == Long.MAX_VALUE ? "more than "
                    + Long.MAX_VALUE : runs) + " runs, more than the " + MAX_RUNS + " a plan may have; narrow an"
                    + " axis (--set) or split the grid");
        }
    }

    private static List<List<Integer>> product(List<Axis> axes) {
        List<List<Integer>> points = new ArrayList<>();
        points.add(List.of());
        for (Axis axis : axes) {
            List<List<Integer>> next = new ArrayList<>();
            for (List<Integer> point : points) {
                for (int i = 0; i < axis.size(); i++) {
                    List<Integer> extended = new ArrayList<>(point);
                    extended.add(i);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    private static int axisOf(List<Axis> axes, String path) {
        for (int i = 0; i < axes.size(); i++) {
            if (axes.get(i).paths().contains(path)) {
                return i;
            }
        }
        return -1;
    }

    private static Axis narrow(Axis axis, String path, JsonNode value, String set) {
        if (axis.paths().size() == 1) {
            return Axis.of(path, List.of(value), "--set " + set);
        }
        int column = axis.paths().indexOf(path);
        String wanted = SpecCodec.label(value);
        List<List<JsonNode>> kept = axis.steps().stream()
                .filter(step -> SpecCodec.label(step.get(column)).equals(wanted)).toList();
        if (kept.isEmpty()) {
            Set<String> offered = new LinkedHashSet<>();
            axis.steps().forEach(step -> offered.add(SpecCodec.label(step.get(column))));
            throw new SpecException("--set " + set + ": " + path + " moves together with " + axis.paths()
                    + " and takes only " + offered + " here");
        }
        return new Axis(axis.paths(), kept, axis.where());
    }

    private static String[] split(String assignment, String option) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new SpecException(option + " " + assignment + ": expected path=value, e.g. train.learning_rate=0.01");
        }
        return new String[]{assignment.substring(0, eq).strip(), assignment.substring(eq + 1).strip()};
    }

    /**
     * The values of {@code --grid path=v1,v2,...}: the text split at the commas outside brackets, braces and quotes,
     * so that {@code [0.5,0.75],[0.3,0.6]} is two values (two lists) and {@code {type: batchnorm, decay: 0.9},none}
     * two as well; each piece is read as YAML by the caller.
     *
     * @throws SpecException for an empty piece ({@code 0.1,,1}, a trailing comma) or unbalanced brackets or quotes
     */
    static List<String> gridValues(String text, String grid) {
        List<String> values = new ArrayList<>();
        java.util.Deque<Character> open = new java.util.ArrayDeque<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (i == text.length() && (quote != 0 || !open.isEmpty())) {
                throw new SpecException("--grid " + grid + ": " + (quote != 0 ? "a quote " + quote + " is not closed"
                        : "'" + open.peek() + "' is not closed") + "; " + GRID_FORM);
            }
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '{') {
                open.push(c);
            } else if (c == ']' || c == '}') {
                if (open.isEmpty() || open.pop() != (c == ']' ? '[' : '{')) {
                    throw new SpecException("--grid " + grid + ": '" + c + "' closes nothing; " + GRID_FORM);
                }
            } else if (c == ',' && open.isEmpty()) {
                String value = text.substring(start, Math.min(i, text.length())).strip();
                if (value.isEmpty()) {
                    throw new SpecException("--grid " + grid + ": an empty value (two commas, or one at an end); "
                            + "write null for a null value");
                }
                values.add(value);
                start = i + 1;
            }
        }
        return values;
    }

    private static final String GRID_FORM = "the values are separated by commas outside [ ], { } and quotes, e.g. "
            + "--grid train.schedule.milestones=[0.5,0.75],[0.3,0.6]";

    private static JsonNode parseGridValue(String value, String grid) {
        try {
            return SpecCodec.parseValue(value);
        } catch (SpecException e) {
            throw new SpecException("--grid " + grid + ": " + e.getMessage() + "; " + GRID_FORM, e);
        }
    }

    private static long seedOf(JsonNode value, String where) {
        if (!value.isIntegralNumber()) {
            throw new SpecException(where + ": a seed must be an integer, got " + value);
        }
        return value.asLong();
    }
}
