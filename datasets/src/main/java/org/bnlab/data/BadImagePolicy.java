package org.bnlab.data;

/** What reading a class-folder dataset does with an image file that cannot be used ({@link BadImage}). */
public enum BadImagePolicy {
    /** Stop with a {@link BadImageException} naming the first bad file: nothing is ever trained on a damaged image. */
    REFUSE,
    /** Leave bad files out and list them in the {@link DataProblems} of the result, for users who want to go on. */
    SKIP
}
