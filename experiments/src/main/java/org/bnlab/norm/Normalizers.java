package org.bnlab.norm;

import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every normalizer type, found from {@link Normalizer}'s {@code permits} list (each type's {@code DEFAULT}), and
 * the questions code outside the types asks about a network's layers instead of testing their classes.
 */
public final class Normalizers {

    private static final List<Normalizer> DEFAULTS = defaults();

    private Normalizers() {
    }

    /** Each type with its default parameters, in {@code permits} order. */
    public static List<Normalizer> all() {
        return DEFAULTS;
    }

    /**
     * The type called {@code name} (its {@link Normalizer#type()} or an alias, ignoring case and surrounding
     * blanks), with its default parameters; empty when no type has that name.
     */
    public static Optional<Normalizer> named(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return DEFAULTS.stream().filter(n -> n.type().equals(wanted) || n.aliases().contains(wanted)).findFirst();
    }

    /** The type names, e.g. {@code batchnorm or none}, for error messages. */
    public static String names() {
        return listed(n -> true, Normalizer::type);
    }

    /**
     * Each type (with its default parameters) that {@code which} accepts, as {@code label} writes it, in
     * {@code permits} order and joined as {@code a, b or c}: for error messages and descriptions.
     */
    public static String listed(Predicate<Normalizer> which, Function<Normalizer, String> label) {
        List<String> names = DEFAULTS.stream().filter(which).map(label).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** The type whose layer {@code layer} (a DL4J layer configuration) is; empty for any other layer. */
    public static Optional<Normalizer> owning(Layer layer) {
        return DEFAULTS.stream().filter(n -> n.owns(layer)).findFirst();
    }

    /** Whether {@code layer} is a normalization layer of any type. */
    public static boolean isNormalization(Layer layer) {
        return owning(layer).isPresent();
    }

    /** How {@code layer} stores running statistics, when it is a normalization layer that keeps them (BN's). */
    public static Optional<RunningStatistics> statisticsOf(Layer layer) {
        return owning(layer).flatMap(n -> n.statisticsOf(layer));
    }

    /**
     * The oneDNN kernel layer of {@code layer} when it is a normalization layer ({@link Normalizer#onOneDnn}), else
     * {@code layer}: the argument {@code Kernels.accelerate} takes for a network of any normalizer.
     */
    public static Layer onOneDnn(Layer layer) {
        return owning(layer).map(n -> n.onOneDnn(layer)).orElse(layer);
    }

    /** The running-statistics parameter keys of every type (not trained, not counted as parameters). */
    public static Set<String> runningStatisticKeys() {
        Set<String> keys = new java.util.TreeSet<>();
        DEFAULTS.forEach(n -> keys.addAll(n.runningStatisticKeys()));
        return Collections.unmodifiableSet(keys);
    }

    private static List<Normalizer> defaults() {
        List<Normalizer> out = new ArrayList<>();
        for (Class<?> type : Normalizer.class.getPermittedSubclasses()) {
            try {
                out.add((Normalizer) type.getField("DEFAULT").get(null));
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("normalizer " + type.getName()
                        + " needs a public static final DEFAULT of its own type", e);
            }
        }
        return List.copyOf(out);
    }
}
