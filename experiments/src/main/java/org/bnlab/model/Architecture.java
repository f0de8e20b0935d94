package org.bnlab.model;

/**
 * Which family of network a run trains; what else the model specification says depends on it. The registry of
 * network factories: a new architecture is its {@link NetworkFactory} and one constant here.
 */
public enum Architecture {
    /**
     * The CIFAR ResNet of He et al. 2016, section 4.2 ({@link CifarResNet}): {@code model.depth}, {@code shortcut},
     * {@code normalization} and {@code init} apply.
     */
    RESNET("resnet", new ResNetFactory(), "the CIFAR ResNet of He et al. 2016, section 4.2 (6n+2 layers, three "
            + "stages of 16, 32 and 64 filters)"),
    /**
     * A fully connected network ({@link Mlp}): the flattened image, hidden layers of {@code model.hidden} units,
     * a softmax classifier; {@code normalization} applies (BN on each hidden layer), {@code init} must be {@code he}.
     */
    MLP("mlp", new MlpFactory(), "a fully connected network on the flattened image (see `org.bnlab.model.Mlp`)");

    private final String id;
    private final NetworkFactory factory;
    private final String description;

    Architecture(String id, NetworkFactory factory, String description) {
        this.id = id;
        this.factory = factory;
        this.description = description;
    }

    /** What the network is, for the settings table's {@code model.architecture} (Markdown, one phrase). */
    public String description() {
        return description;
    }

    /** What builds this architecture's networks. */
    public NetworkFactory factory() {
        return factory;
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
