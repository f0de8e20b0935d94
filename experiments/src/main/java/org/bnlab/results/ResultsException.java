package org.bnlab.results;

/**
 * A results file that exists but cannot be used (unreadable, truncated, malformed).
 *
 * <p>The message is always one line that names the file, because these errors surface at the
 * end of long runs or in reports over many run folders, where "which file?" is the first question.
 */
public final class ResultsException extends RuntimeException {

    public ResultsException(String message) {
        super(message);
    }

    public ResultsException(String message, Throwable cause) {
        super(message, cause);
    }
}
