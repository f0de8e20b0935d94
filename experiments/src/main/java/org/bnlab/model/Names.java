package org.bnlab.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses the lower-case names users type for the model's enums, with an error that lists the valid ones. */
final class Names {

    private Names() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, E[] values, Function<E, String> id) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E value : values) {
            if (id.apply(value).toLowerCase(Locale.ROOT).equals(wanted)) {
                return value;
            }
        }
        String known = Arrays.stream(values).map(id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + text
                + "' (expected one of: " + known + ")");
    }
}
