package org.bnlab.cli;

import org.bnlab.experiment.ContrastCheck;
import org.bnlab.experiment.Experiment;
import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options every command that expands an experiment shares (picocli mixin): the experiment file or name,
 * {@code --set}, {@code --grid} and {@code --out}.
 */
final class ExperimentOptions {

    @Parameters(index = "0", paramLabel = "EXPERIMENT",
            description = "an experiment file (YAML), the name of one in experiments/ (e.g. bn-vs-nobn), or a run's "
                    + "config.json (to run that run again)")
    String experiment;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "change a setting of every run, e.g. --set train.epochs=2 --set model.normalization=none; "
                    + "on a grid axis it keeps only that value")
    List<String> sets = new ArrayList<>();

    @Option(names = "--grid", paramLabel = "PATH=V1,V2,...",
            description = "add or replace a grid axis, e.g. --grid train.learning_rate=0.01,0.1 or --grid seed=1,2; "
                    + "values are split at commas outside [ ], { } and quotes, each read as YAML: "
                    + "--grid train.schedule.milestones=[0.5,0.75],[0.3,0.6] is two values")
    List<String> grids = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: results/<experiment name>)")
    Path out;

    /**
     * The options the user typed for some of {@link #sets} and {@link #grids} (compare's shorthands): errors name
     * the place a setting came from as {@code --set model.depth}, {@code --set model.depth=7} or
     * {@code --grid seed=1,2}; each such place maps to the option that stands for it ({@code --depth},
     * {@code --depth 7}). Empty for the commands that take {@code --set} and {@code --grid} themselves.
     */
    final Map<String, String> typed = new LinkedHashMap<>();

    Experiment load() {
        Path file = locate(experiment);
        if (file.getFileName().toString().endsWith(".json")) {
            return fromRunConfig(file);
        }
        return ExperimentFiles.load(file);
    }

    /**
     * A run's {@code config.json} as a one-run experiment named {@code rerun}: the same specification, so the same
     * hash and numbers (on the same kind of machine); {@code --set}/{@code --grid} change it like any experiment.
     */
    static Experiment fromRunConfig(Path config) {
        org.bnlab.spec.RunSpec spec = org.bnlab.spec.ConfigJson.read(config);
        Experiment.Builder builder = Experiment.builder("rerun")
                .question("Re-run of " + config)
                .source("the run specification in " + config);
        com.fasterxml.jackson.databind.node.ObjectNode tree = org.bnlab.spec.SpecCodec.tree(spec);
        tree.fields().forEachRemaining(e -> builder.set(e.getKey(), e.getValue().toString()));
        return builder.build();
    }

    /**
     * The plan, with its contrasts and references checked (before anything trains): against the file's own plan, an
     * error (the file declares a comparison that compares nothing); against the plan as narrowed by {@code --set} or
     * {@code --grid}, a warning on standard error (running a part of the grid is allowed).
     */
    ExperimentPlan plan() {
        try {
            return checkedPlan();
        } catch (org.bnlab.spec.SpecException e) {
            String retold = retold(e.getMessage());
            if (retold.equals(e.getMessage())) {
                throw e;
            }
            throw new org.bnlab.spec.SpecException(retold, e);
        }
    }

    /**
     * An error message with its leading place ({@code --set model.depth: ...}) replaced by the option typed for it
     * ({@code --depth: ...}), and the setting's path, when it follows, left out ({@code --lr -1: learning rate ...}
     * rather than {@code --lr -1: train.learning_rate: learning rate ...}).
     */
    String retold(String message) {
        for (Map.Entry<String, String> place : typed.entrySet()) {
            if (message.startsWith(place.getKey() + ": ")) {
                String rest = message.substring(place.getKey().length() + 2);
                String path = place.getKey().replaceFirst("^--(set|grid) ", "").replaceFirst("=.*", "");
                if (rest.startsWith(path + ": ")) {
                    rest = rest.substring(path.length() + 2);
                }
                return place.getValue() + ": " + rest;
            }
        }
        return message;
    }

    private ExperimentPlan checkedPlan() {
        Experiment declared = load();
        ExperimentPlan plan = ExperimentPlan.expand(declared, sets, grids);
        if (sets.isEmpty() && grids.isEmpty()) {
            ContrastCheck.check(plan);
            return plan;
        }
        ExperimentPlan asDeclared;
        try {
            asDeclared = ExperimentPlan.expand(declared);
        } catch (org.bnlab.spec.SpecException e) {
            asDeclared = plan; // the file expands only with its overrides: check what is run
        }
        ContrastCheck.check(asDeclared);
        for (org.bnlab.spec.SpecException problem : ContrastCheck.problems(plan)) {
            System.err.println("bnlab: warning: " + problem.getMessage() + " (in the plan with "
                    + String.join(" ", plan.overrides()) + ")");
        }
        return plan;
    }

    Path outDir(ExperimentPlan plan) {
        return out != null ? out : Path.of("results", plan.experiment().name());
    }

    /** A path as given when it exists, else {@code experiments/<name>.yaml} in the project. */
    static Path locate(String nameOrFile) {
        Path given = Path.of(nameOrFile);
        if (Files.exists(given)) {
            return given;
        }
        Path named = experimentsFolder().resolve(nameOrFile.endsWith(".yaml") ? nameOrFile : nameOrFile + ".yaml");
        if (Files.exists(named)) {
            return named;
        }
        throw new IllegalArgumentException("no experiment file " + nameOrFile + " (neither a file nor a name in "
                + experimentsFolder() + "; bnlab list shows the ready ones)");
    }

    /** The project's {@code experiments/} folder: under {@code -Dbnlab.home} (set by scripts/bnlab), else here. */
    static Path experimentsFolder() {
        return ExperimentFiles.readyFolder();
    }

    /** What the experiment file took from the one it {@code extends} (see {@link ExperimentFiles#inheritance}), or null. */
    String inheritance() {
        Path file = locate(experiment);
        return file.getFileName().toString().endsWith(".json") ? null : ExperimentFiles.inheritance(file);
    }
}
