package org.bnlab.data;

/**
 * An image file that is empty, truncated, corrupt, not an image, or that the decoder refuses. The message names
 * the file; {@link #badImage()} gives the file and the reason separately, for a caller that lists such files
 * instead of stopping.
 */
public final class BadImageException extends DatasetException {

    private final transient BadImage badImage;

    public BadImageException(BadImage badImage) {
        super(badImage.describe());
        this.badImage = badImage;
    }

    /** {@code badImage.describe()} followed by {@code more}, e.g. {@code ; 3 more bad images in ...}. */
    public BadImageException(BadImage badImage, String more) {
        super(badImage.describe() + more);
        this.badImage = badImage;
    }

    public BadImage badImage() {
        return badImage;
    }
}
