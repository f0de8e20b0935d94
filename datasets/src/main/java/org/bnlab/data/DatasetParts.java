package org.bnlab.data;

import java.util.Objects;

/**
 * The two splits of a dataset as it was published, plus where they came from.
 *
 * @param train  the official training split (carve a validation split out of it with {@link Splits})
 * @param test   the official test split (for Imagenette: its {@code val} folder)
 * @param source a human description, e.g. {@code CIFAR-10 JPEG folders at /data/cifar-10-jpeg}
 */
public record DatasetParts(ImageSet train, ImageSet test, String source) {

    public DatasetParts {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
        if (!train.classNames().equals(test.classNames())) {
            throw new DatasetException("train and test splits of " + source + " have different classes: "
                    + train.classNames() + " vs " + test.classNames());
        }
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new DatasetException("train and test splits of " + source + " have different image sizes: "
                    + train.height() + "x" + train.width() + " vs " + test.height() + "x" + test.width());
        }
    }
}
