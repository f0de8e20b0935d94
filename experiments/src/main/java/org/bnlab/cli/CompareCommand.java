package org.bnlab.cli;

import org.bnlab.spec.SettingsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The main job, short for {@code bnlab run bn-vs-nobn}: ResNet-20 with BN, without BN (He initialisation) and
 * without BN (zero-initialised residual branches), three seeds each, then the report. Each option is a shorthand for
 * a {@code --set} of the run specification (its path in brackets in {@code --help}); options not given keep the
 * experiment file's values.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "org.bnlab.cli.SettingDescriptions",
        description = {"Train ResNets with and without BatchNorm and compare them (experiments/bn-vs-nobn.yaml).",
                "Default: ResNet-20 on a CIFAR-10 subset at learning rate 0.1 with BN, without BN (He init) and "
                        + "without BN (zero-initialised residual branches), 3 seeds each. Rerun the same command to resume."})
final class CompareCommand implements Callable<Integer> {

    static final String EXPERIMENT = "bn-vs-nobn";

    @Option(names = "--dataset", descriptionKey = "data.dataset")
    String dataset;

    @Option(names = "--data-dir", descriptionKey = "data.root")
    String dataDir;

    @Option(names = "--no-download", description = "[data.download=false] never download a missing dataset")
    boolean noDownload;

    @Option(names = "--skip-bad-images", descriptionKey = "data.skip_bad_images")
    boolean skipBadImages;

    @Option(names = "--image-size", descriptionKey = "data.image_size")
    Integer imageSize;

    @Option(names = "--train-per-class", descriptionKey = "data.train_per_class")
    Integer trainPerClass;

    @Option(names = "--train-fraction", descriptionKey = "data.train_fraction")
    Double trainFraction;

    @Option(names = "--test-per-class", descriptionKey = "data.test_per_class")
    Integer testPerClass;

    @Option(names = "--validation-per-class", descriptionKey = "data.validation_per_class")
    Integer validationPerClass;

    @Option(names = "--epochs", descriptionKey = "train.epochs")
    Integer epochs;

    @Option(names = {"--lr", "--learning-rate"}, split = ",", descriptionKey = "train.learning_rate")
    List<Double> learningRates;

    @Option(names = "--batch-size", descriptionKey = "train.batch_size")
    Integer batchSize;

    @Option(names = "--momentum", descriptionKey = "train.momentum")
    Double momentum;

    @Option(names = "--weight-decay", descriptionKey = "train.weight_decay")
    Double weightDecay;

    @Option(names = "--milestones", split = ",", descriptionKey = "train.schedule.milestones")
    List<Double> milestones;

    @Option(names = "--depth", descriptionKey = "model.depth")
    Integer depth;

    @Option(names = "--shortcut", descriptionKey = "model.shortcut")
    String shortcut;

    @Option(names = "--normalization", descriptionKey = "model.normalization")
    String normalization;

    @Option(names = "--init", descriptionKey = "model.init")
    String init;

    @Option(names = "--bn-decay", descriptionKey = "model.normalization.decay")
    Double bnDecay;

    @Option(names = "--bn-eps", descriptionKey = "model.normalization.epsilon")
    Double bnEpsilon;

    @Option(names = "--layout", descriptionKey = "execution.layout")
    String layout;

    @Option(names = "--kernels", descriptionKey = "execution.kernels")
    String kernels;

    @Option(names = "--seed", split = ",", descriptionKey = "seed")
    List<Long> seeds;

    @Option(names = "--divergence-factor", descriptionKey = "train.divergence_factor")
    Double divergenceFactor;

    @Option(names = "--target-accuracy", descriptionKey = "eval.target_accuracy")
    Double targetAccuracy;

    @Option(names = "--stats-every", descriptionKey = "measure.activation_stats_every")
    Integer statsEvery;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "any other setting, e.g. --set train.schedule.factor=0.2")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", description = "results folder (default: results/bn-vs-nobn)")
    Path out;

    @Option(names = "--workers", description = "train N runs at a time in N processes (1)")
    int workers = 1;

    @Option(names = "--quiet", description = "no progress bar (the line per epoch stays)")
    boolean quiet;

    @Override
    public Integer call() {
        return RunCommand.execute(options(), null, null, workers, false, quiet, null);
    }

    @Spec
    CommandSpec command;

    /**
     * The experiment options these shorthands stand for: each option described by a setting's path (its
     * {@code descriptionKey}) is a {@code --set} of that path, in the specification's order; the learning rates and
     * seeds are grid axes.
     */
    ExperimentOptions options() {
        ExperimentOptions options = new ExperimentOptions();
        options.experiment = EXPERIMENT;
        options.out = out;
        List<String> s = options.sets;
        Map<String, Object> given = new HashMap<>();
        Map<String, OptionSpec> typedAs = new HashMap<>(); // a setting's path -> the option that set it
        for (OptionSpec option : command.options()) {
            Object value = option.getValue();
            boolean unset = value == null || (option.typeInfo().isBoolean() && !(Boolean) value);
            if (!unset && option.descriptionKey() != null && !option.descriptionKey().isEmpty()) {
                given.put(option.descriptionKey(), value);
                typedAs.put(option.descriptionKey(), option);
            }
        }
        if (noDownload) {
            given.put("data.download", false);
            typedAs.put("data.download", command.findOption("--no-download"));
        }
        if (trainFraction != null) {
            given.put("data.train_per_class", 0); // a fraction replaces the per-class subset
        }
        given.remove("train.learning_rate");
        given.remove("seed");
        if (normalization != null) {
            String n = normalization.strip().toLowerCase(Locale.ROOT);
            given.put("model.normalization", n.equals("bn") ? "batchnorm" : n);
        }
        for (String path : SETTING_ORDER) {
            if (given.containsKey(path)) {
                String set = path + "=" + given.get(path);
                s.add(set);
                OptionSpec option = typedAs.get(path);
                if (option != null) {
                    options.typed.put("--set " + set, typed(option));
                    // a --set of the same path given as well wins, and its errors keep its own name
                    if (sets.stream().noneMatch(other -> other.strip().startsWith(path + "="))) {
                        options.typed.put("--set " + path, nameTyped(option));
                    }
                }
            }
        }
        s.addAll(sets);
        if (learningRates != null) {
            String grid = "train.learning_rate=" + String.join(",",
                    learningRates.stream().map(String::valueOf).toList());
            options.grids.add(grid);
            options.typed.put("--grid " + grid, typed(command.findOption("--lr")));
        }
        if (seeds != null) {
            String grid = "seed=" + String.join(",", seeds.stream().map(String::valueOf).toList());
            options.grids.add(grid);
            options.typed.put("--grid " + grid, typed(command.findOption("--seed")));
        }
        return options;
    }

    /** An option as typed: {@code --depth 7}, {@code --lr 0.1,0.2}, {@code --no-download}. */
    private String typed(OptionSpec option) {
        List<String> values = option.originalStringValues();
        return nameTyped(option) + (option.typeInfo().isBoolean() || values.isEmpty() ? ""
                : " " + String.join(",", values));
    }

    /** The name of the option that the command line used ({@code --learning-rate} or {@code --lr}). */
    private String nameTyped(OptionSpec option) {
        List<String> args = command.commandLine().getParseResult().originalArgs();
        for (String name : option.names()) {
            if (args.stream().anyMatch(a -> a.equals(name) || a.startsWith(name + "="))) {
                return name;
            }
        }
        return option.names()[0];
    }

    /** The settings' paths in the specification's order ({@code config.json}'s). */
    private static final List<String> SETTING_ORDER = SettingsTable.rows().stream().map(SettingsTable.Row::path)
            .toList();
}
