package org.bnlab.model;

/** Which family of network a run trains; what else the model specification says depends on it. */
public enum Architecture {
    /**
     * The CIFAR ResNet of He et al. 2016, section 4.2 ({@link CifarResNet}): {@code model.depth}, {@code shortcut},
     * {@code normalization} and {@code init} apply.
     */
    RESNET("resnet"),
    /**
     * A fully connected network ({@link Mlp}): the flattened image, hidden layers of {@code model.hidden} units,
     * a softmax classifier; {@code normalization} applies (BN on each hidden layer), {@code init} must be {@code he}.
     */
    MLP("mlp");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public static Architecture parse(String text) {
        return Names.parse(Architecture.class, text, values(), Architecture::id);
    }

    @Override
    public String toString() {
        return id;
    }
}
