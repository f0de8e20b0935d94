package org.bnlab.model;

/** What follows each convolution before its ReLU. */
public enum Normalization {
    /** BatchNormalization (Ioffe and Szegedy 2015) after every convolution, as in He et al. 2016. */
    BATCHNORM("batchnorm"),
    /** Nothing: the convolution feeds the ReLU (or the residual sum) directly. */
    NONE("none");

    private final String id;

    Normalization(String id) {
        this.id = id;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public static Normalization parse(String text) {
        return Names.parse(Normalization.class, text, values(), Normalization::id);
    }

    @Override
    public String toString() {
        return id;
    }
}
