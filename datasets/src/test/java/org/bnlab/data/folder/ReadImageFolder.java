package org.bnlab.data.folder;

import java.nio.file.Path;
import org.bnlab.data.DatasetException;
import org.bnlab.data.ImageSet;

/**
 * Reads {@code <root>/train} at 8x8 and prints its classes and size, or the error's message with exit status 2: the
 * program {@link NonAsciiNamesTest} runs in a child JVM under a chosen locale.
 */
public final class ReadImageFolder {

    private ReadImageFolder() {
    }

    public static void main(String[] args) {
        try {
            ImageSet set = ImageFolder.read(Path.of(args[0]), "train", 8);
            System.out.println(set.size() + " images in classes " + set.classNames());
        } catch (DatasetException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
