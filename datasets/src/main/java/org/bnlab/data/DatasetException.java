package org.bnlab.data;

/**
 * Any problem with the input data: a missing folder, a truncated or corrupt file, a wrong
 * checksum, an unknown dataset name, an impossible number. The message is one line that names
 * the problem and the offending path or value, because the command line prints only the message.
 *
 * <p>Not final: {@link BadImageException} narrows it to one image file that cannot be used, so that a
 * caller can leave such files out (see {@link BadImagePolicy}) while every other problem still stops.
 */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
