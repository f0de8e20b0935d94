package org.bnlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.bnlab.results.RunSummary;

/**
 * Writes the one-line answer to "what did BatchNorm do here?", for example
 * {@code BN vs no-BN (zero-residual), resnet20, lr 0.1: 71.3% vs 52.0% (+19.3 points); no-BN (he) diverged at epoch 1}.
 *
 * <p>Runs are grouped into settings (dataset, model, shortcut, learning rate, planned epochs: all but
 * normalization, init and seed). Each setting gives one segment, segments are joined by {@code " | "}.
 * Within a setting, each no-BN init is compared with its BN partners (see {@link BatchNormPartners})
 * on final test accuracy, averaged over seeds; divergences are listed after the comparisons. The
 * first part of a segment names the setting, naming only what varies across the comparison besides
 * model and learning rate, to keep the line short.
 */
final class Headline {

    /** All that makes runs comparable except normalization, init and seed. */
    private record Setting(String dataset, String model, String shortcut, double learningRate, int epochsPlanned) {
        static Setting of(RunSummary s) {
            return new Setting(s.dataset(), s.model(), s.shortcut(), s.learningRate(), s.epochsPlanned());
        }
    }

    /** One statement: {@code label} (who) and {@code text} (what happened). */
    private record Part(String label, String text) {
        String render(String setting) {
            if (setting != null) {
                return label + ", " + setting + ": " + text;
            }
            // "no-BN (he) diverged at epoch 1" reads as a sentence; a result needs a colon after its label.
            return label + (text.startsWith("diverged") ? " " : ": ") + text;
        }
    }

    private Headline() {
    }

    static String of(List<FinishedRun> runs, BatchNormPartners partners) {
        Map<Setting, List<FinishedRun>> settings = runs.stream()
                .collect(Collectors.groupingBy(r -> Setting.of(r.summary()), LinkedHashMap::new, Collectors.toList()));
        List<String> segments = new ArrayList<>();
        for (Map.Entry<Setting, List<FinishedRun>> setting : settings.entrySet()) {
            List<Part> parts = parts(setting.getValue(), partners);
            List<String> rendered = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                rendered.add(parts.get(i).render(i == 0 ? describe(setting.getKey(), runs) : null));
            }
            segments.add(String.join("; ", rendered));
        }
        return String.join(" | ", segments);
    }

    private static List<Part> parts(List<FinishedRun> runs, BatchNormPartners partners) {
        Map<String, List<FinishedRun>> bn = byInit(runs, true);
        Map<String, List<FinishedRun>> noBn = byInit(runs, false);
        List<Part> results = new ArrayList<>();
        List<Part> divergences = new ArrayList<>();
        for (Map.Entry<String, List<FinishedRun>> group : noBn.entrySet()) {
            String label = "no-BN (" + group.getKey() + ")";
            comparison(label, group.getValue(), partners).ifPresent(results::add);
            divergence(label, group.getValue()).ifPresent(divergences::add);
        }
        for (Map.Entry<String, List<FinishedRun>> group : bn.entrySet()) {
            String label = bn.size() == 1 ? "BN" : "BN (" + group.getKey() + ")";
            if (noBn.isEmpty()) {
                meanFinal(group.getValue()).ifPresent(mean ->
                        results.add(new Part(label, percent(mean) + ", no run without BN to compare")));
            }
            divergence(label, group.getValue()).ifPresent(divergences::add);
        }
        results.addAll(divergences);
        return results;
    }

    /**
     * "BN vs no-BN (init): a% vs b% (+d points)" over the completed no-BN runs that have a BN partner
     * with a final accuracy; when none has such a partner, just the no-BN accuracy.
     */
    private static Optional<Part> comparison(String label, List<FinishedRun> noBnRuns, BatchNormPartners partners) {
        List<FinishedRun> completed = noBnRuns.stream()
                .filter(r -> !r.diverged() && r.summary().finalTestAccuracy() != null).toList();
        if (completed.isEmpty()) {
            return Optional.empty();
        }
        List<FinishedRun> paired = new ArrayList<>();
        List<FinishedRun> bnPartners = new ArrayList<>();
        for (FinishedRun run : completed) {
            Optional<FinishedRun> partner = partners.partnerOf(run)
                    .filter(p -> p.summary().finalTestAccuracy() != null);
            if (partner.isPresent()) {
                paired.add(run);
                if (!bnPartners.contains(partner.get())) {
                    bnPartners.add(partner.get());
                }
            }
        }
        if (paired.isEmpty()) {
            return Optional.of(new Part(label, percent(meanFinal(completed).orElseThrow())
                    + ", no matching BN run to compare"));
        }
        double bnMean = meanFinal(bnPartners).orElseThrow();
        double noBnMean = meanFinal(paired).orElseThrow();
        String seeds = paired.size() > 1 ? ", mean of " + paired.size() + " seeds" : "";
        return Optional.of(new Part("BN vs " + label, percent(bnMean) + " vs " + percent(noBnMean)
                + " (" + Numbers.signed1(bnMean - noBnMean) + " points" + seeds + ")"));
    }

    /** "diverged at epoch 1", or "diverged in 2 of 3 runs (epochs 1, 4)"; empty if none diverged. */
    private static Optional<Part> divergence(String label, List<FinishedRun> runs) {
        List<Integer> epochs = runs.stream().filter(FinishedRun::diverged)
                .map(r -> r.summary().divergedEpoch()).toList();
        if (epochs.isEmpty()) {
            return Optional.empty();
        }
        if (runs.size() == 1) {
            return Optional.of(new Part(label, "diverged at epoch " + epochs.get(0)));
        }
        String list = epochs.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return Optional.of(new Part(label, "diverged in " + epochs.size() + " of " + runs.size() + " runs ("
                + (epochs.size() == 1 ? "epoch " : "epochs ") + list + ")"));
    }

    private static Map<String, List<FinishedRun>> byInit(List<FinishedRun> runs, boolean batchNorm) {
        return runs.stream().filter(r -> r.summary().usesBatchNorm() == batchNorm)
                .collect(Collectors.groupingBy(r -> r.summary().init(), LinkedHashMap::new, Collectors.toList()));
    }

    /** Mean final test accuracy in percent over the runs that have one. */
    private static Optional<Double> meanFinal(List<FinishedRun> runs) {
        List<Double> finals = runs.stream().map(r -> r.summary().finalTestAccuracy()).filter(Objects::nonNull)
                .map(Numbers::percent).toList();
        return finals.isEmpty() ? Optional.empty()
                : Optional.of(finals.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
    }

    private static String percent(double pct) {
        return Numbers.fixed(pct, 1) + "%";
    }

    /** "resnet20, lr 0.1", prefixed or extended by whatever else differs between settings of this comparison. */
    private static String describe(Setting setting, List<FinishedRun> all) {
        List<String> words = new ArrayList<>();
        if (varies(all, RunSummary::dataset)) {
            words.add(setting.dataset());
        }
        words.add(setting.model());
        if (varies(all, RunSummary::shortcut)) {
            words.add("shortcut " + setting.shortcut());
        }
        words.add("lr " + Numbers.plain(setting.learningRate()));
        if (varies(all, RunSummary::epochsPlanned)) {
            words.add(setting.epochsPlanned() + " epochs");
        }
        return String.join(", ", words);
    }

    private static boolean varies(List<FinishedRun> runs, Function<RunSummary, ?> field) {
        return runs.stream().map(r -> field.apply(r.summary())).distinct().count() > 1;
    }
}
