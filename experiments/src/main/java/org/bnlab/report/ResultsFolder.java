package org.bnlab.report;

import org.bnlab.experiment.Contrast;
import org.bnlab.experiment.ExperimentRecord;
import org.bnlab.experiment.ExperimentRunner;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.experiment.Reference;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunSummary;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * @param contrasts  declared contrasts; for a folder without any, BN against each no-BN initialisation when
 *                   {@code model.normalization} varies
 * @param references published values to compare with
 * @param overrides  the command-line changes the experiment was run with ({@code --set ...}), when recorded
 * @param commonSettings every setting that all runs share and that differs from the specification's default
 *                   (dotted path -> value), read from the runs' {@code config.json}; empty for older folders
 */
record ResultsFolder(String name, String question, String source, List<ReportRun> runs, List<String> varying,
                     Map<String, String> shortNames, List<Contrast> contrasts, List<Reference> references,
                     List<String> overrides, Map<String, String> commonSettings) {

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
        List<FinishedRun> finished = RunFolder.findFinished(dir).stream().map(FinishedRun::load).toList();
        List<Map<String, String>> values = new ArrayList<>();
        for (RunFolder folder : RunFolder.findFinished(dir)) {
            Map<String, String> v = new LinkedHashMap<>(fromSummary(folder.readSummary().orElseThrow()));
            ExperimentRecord.readRun(folder.dir()).ifPresent(run -> v.putAll(run.assignments()));
            values.add(v);
        }
        Set<String> candidates = new LinkedHashSet<>();
        record.ifPresent(r -> candidates.addAll(r.varying()));
        values.forEach(v -> candidates.addAll(v.keySet()));
        List<String> varying = new ArrayList<>();
        for (String path : candidates) {
            if (!path.equals(SEED) && values.stream().map(v -> v.getOrDefault(path, "")).distinct().count() > 1) {
                varying.add(path);
            }
        }
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
            runs.add(new ReportRun(finished.get(i), v));
        }
        Map<String, String> shortNames = shortNames(varying, record.map(ExperimentRecord::shortNames).orElse(Map.of()));
        List<Contrast> contrasts = record.map(ExperimentRecord::contrasts).filter(c -> !c.isEmpty())
                .orElseGet(() -> defaultContrasts(runs, varying));
        return new ResultsFolder(record.map(ExperimentRecord::name).orElse(String.valueOf(dir.getFileName())),
                record.map(ExperimentRecord::question).orElse(""), record.map(ExperimentRecord::source).orElse(""),
                runs, varying, shortNames, contrasts, record.map(ExperimentRecord::references).orElse(List.of()),
                record.map(ExperimentRecord::overrides).orElse(List.of()), commonSettings(dir, varying));
    }

    /** What all runs share and what differs from the defaults, so that a report says what was run. */
    private static Map<String, String> commonSettings(Path dir, List<String> varying) {
        Map<String, String> common = null;
        for (RunFolder folder : RunFolder.findFinished(dir)) {
            Map<String, String> settings;
            try {
                settings = flatten(SpecCodec.tree(ExperimentRunner.readConfig(folder.configFile())));
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

    /** BN against no BN, per no-BN initialisation when that varies too. */
    private static List<Contrast> defaultContrasts(List<ReportRun> runs, List<String> varying) {
        if (!varying.contains(NORMALIZATION)) {
            return List.of();
        }
        Map<String, String> treatment = Map.of(NORMALIZATION, "batchnorm");
        if (!varying.contains(INIT)) {
            return List.of(new Contrast("BN vs no-BN", treatment, Map.of(NORMALIZATION, "none")));
        }
        List<Contrast> contrasts = new ArrayList<>();
        runs.stream().filter(r -> r.value(NORMALIZATION).equals("none")).map(r -> r.value(INIT)).distinct()
                .forEach(init -> contrasts.add(new Contrast("BN vs no-BN (" + init + ")", treatment,
                        Map.of(NORMALIZATION, "none", INIT, init))));
        return contrasts;
    }
}
