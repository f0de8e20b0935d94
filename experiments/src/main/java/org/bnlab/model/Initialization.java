package org.bnlab.model;

/** How the weights start. */
public enum Initialization {
    /**
     * He et al. 2015 normal initialisation, N(0, 2/fan_in), for every convolution and the classifier: the paper's.
     * Biases (where there are any) start at zero, BN's gamma at one and beta at zero.
     */
    HE("he"),
    /**
     * Zero-initialised residual branches (as in Fixup and SkipInit, Goyal et al.'s zero-gamma): every residual
     * branch starts as the zero function and the classifier at zero, so the network starts as an identity map
     * followed by a zero classifier. Without BN the branch's last convolution starts at zero; with BN its last BN's
     * gamma does (the convolution keeps He weights, so BN does not divide by a zero variance). Everything else is He.
     * This is what lets a ResNet without BN train at the paper's learning rate.
     */
    ZERO_RESIDUAL("zero-residual");

    private final String id;

    Initialization(String id) {
        this.id = id;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public static Initialization parse(String text) {
        return Names.parse(Initialization.class, text, values(), Initialization::id);
    }

    @Override
    public String toString() {
        return id;
    }
}
