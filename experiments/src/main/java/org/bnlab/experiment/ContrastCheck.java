package org.bnlab.experiment;

import org.bnlab.spec.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, before anything trains, that each declared contrast and reference of a plan compares something: every
 * path it names is a setting, its values select planned runs, and a contrast's treatment and baseline runs pair up
 * ({@link Contrasts#pairs}) somewhere. {@code bnlab plan}, {@code run} and {@code submit} call it on the plan they
 * expand.
 */
public final class ContrastCheck {

    private ContrastCheck() {
    }

    /**
     * @throws SpecException naming where the contrast or reference was declared, the key and the reason (the setting
     *                       that keeps treatment and baseline apart, when they pair up nowhere): the first problem
     */
    public static void check(ExperimentPlan plan) {
        List<SpecException> problems = problems(plan);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
    }

    /** Every contrast and reference of {@code plan} that compares nothing, each as the error {@link #check} gives. */
    public static List<SpecException> problems(ExperimentPlan plan) {
        List<SpecException> problems = new ArrayList<>();
        for (Contrast contrast : plan.experiment().contrasts()) {
            try {
                check(plan, contrast);
            } catch (SpecException e) {
                problems.add(e);
            }
        }
        for (Reference reference : plan.experiment().references()) {
            try {
                check(plan, reference);
            } catch (SpecException e) {
                problems.add(e);
            }
        }
        return problems;
    }

    private static void check(ExperimentPlan plan, Contrast contrast) {
        List<Map<String, String>> runs = plan.runs().stream().map(Settings::of).toList();
        List<String> arms = plan.varying().stream().filter(p -> !p.equals(ExperimentPlan.SEED)).toList();
        List<List<String>> zipped = zipped(plan.experiment());
        {
            String at = where(contrast.where()) + "contrast '" + contrast.name() + "': ";
            paths(contrast.treatment(), runs, at + "treatment: ");
            paths(contrast.baseline(), runs, at + "baseline: ");
            contrast = new Contrast(contrast.name(), resolved(contrast.treatment(), runs, at + "treatment: "),
                    resolved(contrast.baseline(), runs, at + "baseline: "), contrast.metric(), contrast.where());
            List<Map<String, String>> treatment = selected(contrast.treatment(), runs, at + "treatment: ");
            List<Map<String, String>> baseline = selected(contrast.baseline(), runs, at + "baseline: ");
            if (treatment.stream().anyMatch(baseline::contains)) {
                throw new SpecException(at + "treatment and baseline select the same runs (" + text(contrast.treatment())
                        + " and " + text(contrast.baseline()) + ")");
            }
            if (Contrasts.pairs(contrast, runs, r -> r, arms, zipped, p -> p).isEmpty()) {
                List<String> others = Contrasts.others(contrast, treatment, baseline, r -> r, arms, zipped);
                throw new SpecException(at + "its treatment and baseline runs pair up nowhere: " + apart(others,
                        treatment, baseline) + "; name it in the contrast, or compare runs that share it");
            }
        }
    }

    /** The selector with its short forms resolved ({@link Contrasts#resolve}), or the error naming its path. */
    private static Map<String, String> resolved(Map<String, String> selector, List<Map<String, String>> runs,
                                                String at) {
        try {
            return Contrasts.resolve(selector, runs);
        } catch (Contrasts.UnresolvedSelector e) {
            throw new SpecException(at + e.path() + ": " + e.getMessage());
        }
    }

    private static void check(ExperimentPlan plan, Reference reference) {
        List<Map<String, String>> runs = plan.runs().stream().map(Settings::of).toList();
        String at = where(reference.where()) + "reference " + text(reference.match()) + ": match: ";
        paths(reference.match(), runs, at);
        selected(reference.match(), runs, at);
    }

    /** The paths of each zip axis of the experiment. */
    public static List<List<String>> zipped(Experiment experiment) {
        return experiment.axes().stream().filter(a -> a.paths().size() > 1).map(Axis::paths).toList();
    }

    private static void paths(Map<String, String> selector, List<Map<String, String>> runs, String at) {
        for (String path : selector.keySet()) {
            if (runs.stream().noneMatch(r -> r.containsKey(path))) {
                Set<String> known = new TreeSet<>();
                runs.forEach(r -> known.addAll(r.keySet()));
                known.removeAll(Settings.LOCATION);
                throw new SpecException(at + path + ": not a setting" + closest(path, known));
            }
        }
    }

    private static List<Map<String, String>> selected(Map<String, String> selector, List<Map<String, String>> runs,
                                                      String at) {
        List<Map<String, String>> selected = runs.stream().filter(r -> Settings.matches(selector, r)).toList();
        if (selected.isEmpty()) {
            List<String> taken = new ArrayList<>();
            selector.keySet().forEach(path -> {
                Set<String> values = new LinkedHashSet<>();
                runs.forEach(r -> values.add(r.getOrDefault(path, "(not set)")));
                taken.add(path + " takes " + String.join(", ", values));
            });
            throw new SpecException(at + text(selector) + " selects no planned run (" + String.join("; ", taken)
                    + ")");
        }
        return selected;
    }

    /** The settings whose values on the two sides have nothing in common, e.g. {@code model.init: he vs zero-residual}. */
    private static String apart(List<String> others, List<Map<String, String>> treatment,
                                List<Map<String, String>> baseline) {
        List<String> reasons = new ArrayList<>();
        for (String path : others) {
            Set<String> t = new TreeSet<>();
            Set<String> b = new TreeSet<>();
            treatment.forEach(r -> t.add(r.getOrDefault(path, "")));
            baseline.forEach(r -> b.add(r.getOrDefault(path, "")));
            if (t.stream().noneMatch(b::contains)) {
                reasons.add(path + " is " + String.join(", ", t) + " in the treatment runs and "
                        + String.join(", ", b) + " in the baseline runs");
            }
        }
        return reasons.isEmpty() ? "no combination of " + String.join(", ", others) + " has runs on both sides"
                : String.join("; ", reasons);
    }

    private static String where(String where) {
        return where == null ? "" : where + ": ";
    }

    private static String text(Map<String, String> selector) {
        List<String> parts = new ArrayList<>();
        selector.forEach((path, value) -> parts.add(path + ": " + value));
        return "{" + String.join(", ", parts) + "}";
    }

    /** {@code (did you mean model.normalization?)} for the nearest known path, when it is near. */
    private static String closest(String path, Set<String> known) {
        String best = null;
        int distance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(path, candidate);
            if (d < distance) {
                best = candidate;
                distance = d;
            }
        }
        return best != null && distance <= Math.max(2, path.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
