package org.bnlab.spec;

/** The one-line checks of the specification records; a failed one is an {@link IllegalArgumentException}. */
final class Checks {

    private Checks() {
    }

    /**
     * A value that breaks its record's rule, naming the key (snake_case) so that errors can give the full path
     * ({@code model.depth}, not just {@code model}).
     */
    static final class InvalidField extends IllegalArgumentException {
        final String field;

        InvalidField(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    /** @throws InvalidField naming {@code field} when {@code condition} is false */
    static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidField(field, message);
        }
    }
}
