package org.bnlab.data;

import java.util.Objects;

/**
 * The two splits of a dataset as it was published, plus where they came from and what was left out.
 *
 * @param train    the official training split (carve a validation split out of it with {@link Splits})
 * @param test     the official test split (for Imagenette: its {@code val} folder)
 * @param source   a human description, e.g. {@code CIFAR-10 JPEG folders at /data/cifar-10-jpeg}
 * @param problems the bad image files left out of both splits ({@link BadImagePolicy#SKIP}); usually none
 */
public record DatasetParts(ImageSet train, ImageSet test, String source, DataProblems problems) {

    /** Parts with nothing left out. */
    public DatasetParts(ImageSet train, ImageSet test, String source) {
        this(train, test, source, DataProblems.NONE);
    }

    public DatasetParts {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(problems, "problems");
        if (!train.classNames().equals(test.classNames())) {
            throw new DatasetException("train and test splits of " + source + " have different classes: "
                    + train.classNames() + " vs " + test.classNames());
        }
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new DatasetException("train and test splits of " + source + " have different image sizes: "
                    + train.height() + "x" + train.width() + " vs " + test.height() + "x" + test.width());
        }
        if (train.channels() != test.channels()) {
            throw new DatasetException("train and test splits of " + source + " have different channel counts: "
                    + train.channels() + " vs " + test.channels());
        }
    }
}
