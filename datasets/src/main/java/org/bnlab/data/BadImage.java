package org.bnlab.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One image file that cannot be used, and why.
 *
 * @param file   the file, as it was found while listing its class folder
 * @param reason what is wrong, phrased to follow the file name: {@code is empty (0 bytes)},
 *               {@code is truncated: ...}, {@code is corrupt: ...}, {@code is not a JPEG or PNG file ...},
 *               {@code could not be decoded by OpenCV: ...}; one line
 */
public record BadImage(Path file, String reason) {

    public BadImage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    /** E.g. {@code image /data/train/dog/empty.jpg is empty (0 bytes)}. */
    public String describe() {
        return "image " + file + " " + reason;
    }
}
