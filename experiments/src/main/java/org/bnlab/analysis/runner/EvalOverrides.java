package org.bnlab.analysis.runner;

import org.bnlab.spec.Origins;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.SettingKind;

import java.util.List;

/** {@code --set eval.KEY=VALUE} for an analysis: changes to a run's evaluation settings, nothing else. */
final class EvalOverrides {

    /** The settings of an analysis: those of {@code eval} marked as added later and read by the analysis only. */
    static final List<String> ANALYSIS_KEYS = SettingKind.paths("eval", EvalSpec.class, SettingKind.AddedLater.class,
            SettingKind.ReportOnly.class);

    private EvalOverrides() {
    }

    /**
     * Checks the form and the keys of {@code sets} (before anything is read).
     *
     * @throws IllegalArgumentException naming the option for a key outside {@code eval.} or a missing '='
     */
    static void check(List<String> sets) {
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set " + set + ": expected KEY=VALUE, e.g. --set "
                        + "eval.modes=[running,precise]");
            }
            String key = set.substring(0, eq).strip();
            if (!key.startsWith("eval.")) {
                throw new IllegalArgumentException("--set " + key + ": analyze changes only the evaluation settings "
                        + "(" + String.join(", ", ANALYSIS_KEYS) + "); the runs' other settings are fixed by their "
                        + "training");
            }
        }
    }

    /** {@code spec} with {@code sets} applied. */
    static RunSpec apply(RunSpec spec, List<String> sets) {
        check(sets);
        if (sets.isEmpty()) {
            return spec;
        }
        var tree = SpecCodec.tree(spec);
        Origins origins = new Origins();
        for (String set : sets) {
            int eq = set.indexOf('=');
            String key = set.substring(0, eq).strip();
            SpecCodec.set(tree, key, SpecCodec.parseValue(set.substring(eq + 1)));
            origins.record(key, "--set " + key);
        }
        try {
            return SpecCodec.toSpec(tree, origins);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
