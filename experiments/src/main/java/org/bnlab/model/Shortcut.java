package org.bnlab.model;

/**
 * The shortcut used where a residual stage halves the resolution and doubles the channels (He et al. 2016, 4.2), or
 * none at all: the paper's plain network of the same depth.
 */
public enum Shortcut {
    /** Option A: parameter-free; subsample with stride 2 and pad the new channels with zeros. The paper's CIFAR choice. */
    A("A"),
    /** Option B: a 1x1 convolution with stride 2 (followed by BN when the network has BN). */
    B("B"),
    /**
     * No shortcut connections anywhere: the paper's plain network (section 4.2, Fig. 6), the same stacks of 3x3
     * convolutions as the ResNet of its depth, with the same parameters as option A; named {@code plain<depth>}.
     */
    NONE("none");

    private final String id;

    Shortcut(String id) {
        this.id = id;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public static Shortcut parse(String text) {
        return Names.parse(Shortcut.class, text, values(), Shortcut::id);
    }

    @Override
    public String toString() {
        return id;
    }
}
