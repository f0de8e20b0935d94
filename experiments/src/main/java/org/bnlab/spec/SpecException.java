package org.bnlab.spec;

/**
 * A specification or experiment file that cannot be used: its message names where (file and line, or
 * {@code --set}), the key path and the reason, on one line, e.g.
 * {@code experiments/x.yaml, line 7: model.depth: depth 21 is not of the form 6n+2 ...}.
 */
public final class SpecException extends IllegalArgumentException {

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
