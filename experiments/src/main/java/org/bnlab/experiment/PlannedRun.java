package org.bnlab.experiment;

import org.bnlab.spec.RunSpec;

import java.util.Map;

/**
 * One run of an expanded experiment.
 *
 * @param index       its 0-based position in the plan (the Slurm array index of {@code bnlab run --index})
 * @param id          its folder name: the readable label of what varies, then the short hash of the whole resolved
 *                    specification, e.g. {@code normalization=none_init=he_seed=2_1a2b3c4d}
 * @param assignments dotted path -> value (as text) of every setting that varies across the plan, seed included
 *                    when it varies, in axis order
 * @param spec        the resolved specification
 * @param hash        8 hex digits identifying {@code spec} (see {@link org.bnlab.spec.SpecCodec#hash})
 */
public record PlannedRun(int index, String id, Map<String, String> assignments, RunSpec spec, String hash) {

    public PlannedRun {
        assignments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(assignments));
    }
}
