package org.bnlab.experiment;

import java.util.Map;
import java.util.stream.Collectors;

/** Names and matching of {@link Contrast}s. */
final class Contrasts {

    private Contrasts() {
    }

    /** {@code normalization=batchnorm vs normalization=none, init=zero-residual}: the selectors' leaves and values. */
    static String defaultName(Contrast contrast) {
        return describe(contrast.treatment()) + " vs " + describe(contrast.baseline());
    }

    private static String describe(Map<String, String> selector) {
        return selector.entrySet().stream()
                .map(e -> leaf(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
