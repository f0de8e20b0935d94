package org.bnlab.spec;

/** The one-line checks of the specification records; a failed one is an {@link IllegalArgumentException}. */
final class Checks {

    private Checks() {
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    static void requireFraction(double value, String name) {
        require(value > 0 && value < 1, name + " must be in (0, 1), got " + value);
    }
}
