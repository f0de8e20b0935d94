package org.bnlab.data;

import java.util.Objects;

/** A training set and the validation set held out of it (see {@link Splits#holdOut}). */
public record Split(ImageSet train, ImageSet validation) {

    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }
}
