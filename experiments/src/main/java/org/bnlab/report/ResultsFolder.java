package org.bnlab.report;

import org.bnlab.experiment.Contrast;
import org.bnlab.experiment.ExperimentRecord;
import org.bnlab.spec.ConfigJson;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.experiment.Reference;
import org.bnlab.experiment.RunState;
import org.bnlab.experiment.Settings;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunSummary;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A results folder as the report reads it, from the files alone: the finished runs, what varies between them (from
 * each run's {@code run.json}, and for runs written before experiment files existed, from their
 * {@code summary.json}), and the experiment's question, contrasts and references ({@code experiment.json}, when
 * there is one).
 *
 * @param name       the experiment's name (the folder's name when there is no {@code experiment.json})
 * @param question   the question, or empty
 * @param source     the source, or empty
 * @param runs       the finished runs, in folder-name order
 * @param varying    dotted paths whose value differs between runs, {@code seed} last
 * @param shortNames path -> column name
 * @param contrasts  declared contrasts; for a folder without any, when {@code model.normalization} varies, BN
 *                   against each no-BN initialisation and each other normalizer against BN ({@link #defaultContrasts})
 * @param references published values to compare with
 * @param overrides  the command-line changes the experiment was run with ({@code --set ...}), when recorded
 * @param commonSettings every setting that all runs share and that differs from the specification's default
 *                   (dotted path -> value), read from the runs' {@code config.json}; empty for older folders
 * @param zipped     the paths of each zip axis of the recorded plan
 * @param notInPlan  the finished runs (folder names) that are not runs of the recorded plan ({@code experiment.json}):
 *                   left by an earlier plan of the same folder
 * @param unfinished each run of the recorded plan that has not finished, as {@code id: state} (failed, pending, ...)
 */
record ResultsFolder(String name, String question, String source, List<ReportRun> runs, List<String> varying,
                     Map<String, String> shortNames, List<Contrast> contrasts, List<Reference> references,
                     List<String> overrides, Map<String, String> commonSettings, List<List<String>> zipped,
                     List<String> notInPlan, List<String> unfinished) {

    static final String SEED = "seed";
    static final String NORMALIZATION = "model.normalization";
    static final String INIT = "model.init";
    /** Column names of the outcome, which a setting's short name must not take. */
    private static final Set<String> RESERVED = Set.of(RunsTable.RUN, RunsTable.SEED, RunsTable.STATUS,
            RunsTable.DIVERGED_EPOCH, RunsTable.EPOCHS, RunsTable.FINAL_ACC, RunsTable.BEST_ACC,
            RunsTable.EPOCHS_TO_TARGET, RunsTable.STEPS_TO_TARGET, RunsTable.SECONDS_TO_TARGET, OverSeedsTable.RUNS, OverSeedsTable.DIVERGED,
            "arm", "layer");

    static ResultsFolder read(Path dir) {
        Optional<ExperimentRecord> record = ExperimentRecord.read(dir);
        List<RunFolder> folders = RunFolder.findFinished(dir);
        List<FinishedRun> finished = folders.stream().map(FinishedRun::load).toList();
        // each run's settings: its summary's, then every resolved setting of its config.json, then its axis values
        List<Map<String, String>> values = new ArrayList<>();
        List<Boolean> configured = new ArrayList<>();
        Set<String> axes = new LinkedHashSet<>();
        record.ifPresent(r -> axes.addAll(r.varying()));
        Map<String, String> hashes = new HashMap<>();
        for (RunFolder folder : folders) {
            Map<String, String> v = new LinkedHashMap<>(fromSummary(folder.readSummary().orElseThrow()));
            Map<String, String> config = config(folder);
            v.putAll(config);
            configured.add(!config.isEmpty());
            ExperimentRecord.readRun(folder.dir()).ifPresent(run -> {
                v.putAll(run.assignments());
                axes.addAll(run.assignments().keySet());
                hashes.put(String.valueOf(folder.dir().getFileName()), run.hash());
            });
            Settings.LOCATION.forEach(v::remove);
            values.add(v);
        }
        Set<String> candidates = new LinkedHashSet<>(axes);
        values.forEach(v -> candidates.addAll(v.keySet()));
        List<String> varying = new ArrayList<>();
        for (String path : candidates) {
            if (!path.equals(SEED) && varies(path, values, configured)) {
                varying.add(path);
            }
        }
        // a setting beyond the axes keeps runs apart only where the axes do not (another protocol in the folder):
        // the resolved parameters of an axis value (BN's decay in the BN arms) follow the axis and add no column
        List<String> plain = varying.stream().filter(axes::contains).toList();
        varying.removeIf(path -> !axes.contains(path) && determined(path, plain, values, configured));
        if (values.stream().map(v -> v.get(SEED)).distinct().count() > 1) {
            varying.add(SEED);
        }
        List<ReportRun> runs = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            Map<String, String> v = new HashMap<>();
            for (String path : varying) {
                v.put(path, values.get(i).getOrDefault(path, ""));
            }
            v.put(SEED, values.get(i).get(SEED));
            runs.add(new ReportRun(finished.get(i), v, values.get(i)));
        }
        Map<String, String> shortNames = shortNames(varying, record.map(ExperimentRecord::shortNames).orElse(Map.of()));
        List<Contrast> contrasts = record.map(ExperimentRecord::contrasts).filter(c -> !c.isEmpty())
                .orElseGet(() -> defaultContrasts(runs, varying));
        List<String> notInPlan = new ArrayList<>();
        List<String> unfinished = new ArrayList<>();
        record.ifPresent(r -> {
            Set<String> planned = new HashSet<>();
            r.runs().forEach(run -> {
                planned.add(run.id());
                planned.add(run.hash());
                RunState state = RunState.of(dir, run);
                if (!state.isFinished()) {
                    unfinished.add(run.id() + ": " + state);
                }
            });
            for (RunFolder folder : folders) {
                String id = String.valueOf(folder.dir().getFileName());
                if (!planned.contains(id) && !planned.contains(hashes.getOrDefault(id, id))) {
                    notInPlan.add(id);
                }
            }
        });
        return new ResultsFolder(record.map(ExperimentRecord::name).orElse(String.valueOf(dir.getFileName())),
                record.map(ExperimentRecord::question).orElse(""), record.map(ExperimentRecord::source).orElse(""),
                runs, varying, shortNames, contrasts, record.map(ExperimentRecord::references).orElse(List.of()),
                record.map(ExperimentRecord::overrides).orElse(List.of()), commonSettings(dir, varying),
                record.map(ExperimentRecord::zipped).orElse(List.of()), notInPlan, unfinished);
    }

    /** Every resolved setting of a run's {@code config.json}; empty when it has none it can read (an older run). */
    private static Map<String, String> config(RunFolder folder) {
        try {
            return Settings.of(SpecCodec.tree(ConfigJson.read(folder.configFile())));
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /**
     * Whether runs differ at {@code path}: a run with a {@code config.json} has every setting (empty where the path
     * does not exist for it); an older run only those its summary gives.
     */
    private static boolean varies(String path, List<Map<String, String>> values, List<Boolean> configured) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (configured.get(i) || values.get(i).containsKey(path)) {
                seen.add(values.get(i).getOrDefault(path, ""));
            }
        }
        return seen.size() > 1;
    }

    /**
     * Whether runs with equal values of {@code by} always have equal values of {@code path} (among the runs whose
     * files give it, as in {@link #varies}).
     */
    private static boolean determined(String path, List<String> by, List<Map<String, String>> values,
                                      List<Boolean> configured) {
        Map<List<String>, String> seen = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Map<String, String> v = values.get(i);
            if (!configured.get(i) && !v.containsKey(path)) {
                continue;
            }
            List<String> key = by.stream().map(p -> v.getOrDefault(p, "")).toList();
            String value = v.getOrDefault(path, "");
            if (!seen.computeIfAbsent(key, k -> value).equals(value)) {
                return false;
            }
        }
        return true;
    }

    /** What all runs share and what differs from the defaults, so that a report says what was run. */
    private static Map<String, String> commonSettings(Path dir, List<String> varying) {
        Map<String, String> common = null;
        for (RunFolder folder : RunFolder.findFinished(dir)) {
            Map<String, String> settings;
            try {
                settings = flatten(SpecCodec.tree(ConfigJson.read(folder.configFile())));
            } catch (IllegalArgumentException e) {
                continue; // written before the run specification existed: nothing to read
            }
            if (common == null) {
                common = new java.util.TreeMap<>(settings);
            } else {
                common.entrySet().removeIf(e -> !e.getValue().equals(settings.get(e.getKey())));
            }
        }
        if (common == null) {
            return Map.of();
        }
        Map<String, String> defaults = flatten(SpecCodec.tree(RunSpec.DEFAULT));
        common.entrySet().removeIf(e -> e.getValue().equals(defaults.get(e.getKey()))
                || e.getKey().equals("data.root") || varying.stream().anyMatch(v -> e.getKey().startsWith(v)));
        return common;
    }

    private static Map<String, String> flatten(com.fasterxml.jackson.databind.JsonNode tree) {
        Map<String, String> flat = new java.util.TreeMap<>();
        flatten("", tree, flat);
        return flat;
    }

    private static void flatten(String prefix, com.fasterxml.jackson.databind.JsonNode node, Map<String, String> flat) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), flat));
        } else {
            flat.put(prefix, SpecCodec.label(node));
        }
    }

    /** The varying paths other than the seed: what an arm is. */
    List<String> arms() {
        return varying.stream().filter(p -> !p.equals(SEED)).toList();
    }

    String shortName(String path) {
        return shortNames.getOrDefault(path, path);
    }

    /** An arm's label, e.g. {@code normalization=none, init=he}; {@code all runs} when nothing but the seed varies. */
    String armLabel(ReportRun run) {
        List<String> parts = arms().stream().map(p -> shortName(p) + "=" + run.value(p)).toList();
        return parts.isEmpty() ? "all runs" : String.join(", ", parts);
    }

    /** The runs grouped by arm, arms in order of first appearance. */
    Map<String, List<ReportRun>> byArm() {
        Map<String, List<ReportRun>> arms = new LinkedHashMap<>();
        runs.forEach(r -> arms.computeIfAbsent(armLabel(r), k -> new ArrayList<>()).add(r));
        return arms;
    }

    /** What a summary says about the settings, under the specification's paths (for folders of any version). */
    private static Map<String, String> fromSummary(RunSummary s) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("data.dataset", s.dataset());
        v.put("model.depth", Integer.toString(s.depth()));
        v.put("model.shortcut", s.shortcut());
        v.put(NORMALIZATION, s.normalization());
        v.put(INIT, s.init());
        v.put("train.learning_rate", BigDecimal.valueOf(s.learningRate()).stripTrailingZeros().toPlainString());
        v.put("train.batch_size", Integer.toString(s.batchSize()));
        v.put("train.epochs", Integer.toString(s.epochsPlanned()));
        v.put(SEED, Long.toString(s.seed()));
        return v;
    }

    private static Map<String, String> shortNames(List<String> varying, Map<String, String> declared) {
        Map<String, Integer> leafCount = new HashMap<>();
        varying.forEach(p -> leafCount.merge(leaf(p), 1, Integer::sum));
        Map<String, String> names = new LinkedHashMap<>();
        for (String path : varying) {
            String name = declared.getOrDefault(path, leafCount.get(leaf(path)) > 1 ? path : leaf(path));
            // a setting named like an outcome column (train.epochs vs epochs completed) keeps its whole path
            names.put(path, RESERVED.contains(name) && !path.equals(SEED) ? path : name);
        }
        return names;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /**
     * BN against no BN where both are arms (per no-BN initialisation when that varies too), then each other
     * normalizer's arm against BN's, the reference arm of the literature (GroupNorm in Wu and He 2018, Ghost BN in
     * Hoffer et al. 2017), in order of first appearance and named by the arm's label as the report gives it:
     * {@code layernorm vs BN}, {@code {type:groupnorm,groups:8} vs BN}. BN's arm is {@code batchnorm}, else the only arm of type batchnorm;
     * nothing when there is no such arm (several BN arms, none of them plain) or the normalization does not vary.
     */
    private static List<Contrast> defaultContrasts(List<ReportRun> runs, List<String> varying) {
        if (!varying.contains(NORMALIZATION)) {
            return List.of();
        }
        List<String> arms = runs.stream().map(r -> r.value(NORMALIZATION)).distinct().toList();
        List<String> bn = runs.stream().filter(r -> normalizerType(r).equals(BATCHNORM))
                .map(r -> r.value(NORMALIZATION)).distinct().toList();
        String reference = bn.size() == 1 ? bn.get(0) : BATCHNORM;
        Map<String, String> treatment = Map.of(NORMALIZATION, reference);
        List<Contrast> contrasts = new ArrayList<>();
        if (!bn.contains(reference)) {
            return contrasts;
        }
        if (arms.contains(NONE) && !varying.contains(INIT)) {
            contrasts.add(new Contrast("BN vs no-BN", treatment, Map.of(NORMALIZATION, NONE)));
        } else if (arms.contains(NONE)) {
            runs.stream().filter(r -> r.value(NORMALIZATION).equals(NONE)).map(r -> r.value(INIT)).distinct()
                    .forEach(init -> contrasts.add(new Contrast("BN vs no-BN (" + init + ")", treatment,
                            Map.of(NORMALIZATION, NONE, INIT, init))));
        }
        Set<String> others = new LinkedHashSet<>();
        runs.stream().filter(r -> !Set.of(BATCHNORM, NONE).contains(normalizerType(r)))
                .forEach(r -> others.add(r.value(NORMALIZATION)));
        arms.stream().filter(others::contains).forEach(arm -> contrasts.add(
                new Contrast(arm + " vs BN", Map.of(NORMALIZATION, arm), treatment)));
        return contrasts;
    }

    private static final String BATCHNORM = "batchnorm";
    private static final String NONE = "none";

    /** The run's normalizer type ({@code groupnorm} for the arm {@code {type:groupnorm,groups:8}}). */
    private static String normalizerType(ReportRun run) {
        return run.settings().getOrDefault(NORMALIZATION + ".type", run.value(NORMALIZATION));
    }
}
