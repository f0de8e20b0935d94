package org.bnlab.analysis.runner;

import org.bnlab.spec.EvalSpec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registered evaluation modes: the one place a mode's implementation is added (one line in {@link #ALL}). The
 * names are not listed here: {@link EvalSpec#MODES} is the one list of names (the specification checks
 * {@code eval.modes} against it and the report reads it, below this package), and it also fixes the order.
 */
public final class Modes {

    /**
     * Every mode, in {@link EvalSpec#MODES}'s order (the order they run and are reported in), whatever the order of
     * the lines here.
     */
    public static final List<EvaluationMode> ALL = inNameOrder(List.of(
            new RunningMode(),
            new BatchMode(),
            new PreciseMode(),
            new AdaBnMode()));

    private Modes() {
    }

    /**
     * {@code modes} in {@link EvalSpec#MODES}'s order.
     *
     * @throws IllegalStateException unless each name there has exactly one mode and each mode's name is there
     */
    static List<EvaluationMode> inNameOrder(List<EvaluationMode> modes) {
        Map<String, EvaluationMode> byName = modes.stream().collect(Collectors.toMap(EvaluationMode::name,
                Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two evaluation modes are named " + a.name());
                }));
        if (!byName.keySet().equals(Set.copyOf(EvalSpec.MODES))) {
            throw new IllegalStateException("the evaluation modes " + byName.keySet() + " are not the names of "
                    + "EvalSpec.MODES " + EvalSpec.MODES + ": a mode needs its name there and a name its mode here");
        }
        return EvalSpec.MODES.stream().map(byName::get).toList();
    }
}
