package org.bnlab.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bnlab.results.RunSummary;

/**
 * Finds, for a run without BatchNorm, the run WITH BatchNorm that differs from it only in the
 * normalization: same dataset, model, shortcut, learning rate, seed and planned epochs.
 *
 * <p>If several BN runs match (a grid that also varies the BN runs' init), the one with the same
 * init is taken, so that exactly one thing differs. If that does not single one out, there is no
 * partner: a difference against an arbitrary choice would look precise and mean nothing.
 */
final class BatchNormPartners {

    /** What must be equal for two runs to be a BN / no-BN pair. */
    private record PairKey(String dataset, String model, String shortcut, double learningRate, long seed,
                           int epochsPlanned) {
        static PairKey of(RunSummary s) {
            return new PairKey(s.dataset(), s.model(), s.shortcut(), s.learningRate(), s.seed(), s.epochsPlanned());
        }
    }

    private final List<FinishedRun> runs;

    BatchNormPartners(List<FinishedRun> runs) {
        this.runs = List.copyOf(runs);
    }

    /** The matching BN run of a no-BN run; empty for a BN run, or when none or no single one matches. */
    Optional<FinishedRun> partnerOf(FinishedRun run) {
        if (run.summary().usesBatchNorm()) {
            return Optional.empty();
        }
        PairKey key = PairKey.of(run.summary());
        List<FinishedRun> candidates = runs.stream()
                .filter(r -> r.summary().usesBatchNorm() && PairKey.of(r.summary()).equals(key))
                .toList();
        if (candidates.size() == 1) {
            return Optional.of(candidates.get(0));
        }
        List<FinishedRun> sameInit = candidates.stream()
                .filter(r -> Objects.equals(r.summary().init(), run.summary().init()))
                .toList();
        return sameInit.size() == 1 ? Optional.of(sameInit.get(0)) : Optional.empty();
    }
}
