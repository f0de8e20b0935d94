package org.bnlab.data;

/**
 * Any problem with the input data: a missing folder, a truncated or corrupt file, a wrong
 * checksum, an unknown dataset name, an impossible number. The message is one line that names
 * the problem and the offending path or value, because the command line prints only the message.
 */
public final class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
