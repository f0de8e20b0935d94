package org.bnlab.analysis.runner;

import org.bnlab.spec.EvalSpec;

import java.util.List;

/** The registered evaluation modes: the one place a new mode is added (one line in {@link #ALL}). */
public final class Modes {

    /** Every mode, in {@link EvalSpec#MODES}'s order (which is the order they run and are reported in). */
    public static final List<EvaluationMode> ALL = List.of(
            new RunningMode(),
            new BatchMode(),
            new PreciseMode(),
            new AdaBnMode());

    private Modes() {
    }
}
