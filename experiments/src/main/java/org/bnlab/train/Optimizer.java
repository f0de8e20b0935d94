package org.bnlab.train;

/** The update rule that turns gradients into steps. Both take the run's learning-rate schedule and L2 weight decay. */
public enum Optimizer {
    /** SGD with classical momentum in PyTorch's form ({@link SgdMomentum}), the optimizer of He et al. 2016. */
    SGD("sgd"),
    /**
     * Adam (Kingma and Ba 2015) as DL4J implements it ({@code org.nd4j.linalg.learning.config.Adam}), with the
     * paper's beta1 0.9, beta2 0.999 and epsilon 1e-8. Weight decay is L2 added to the gradient (as PyTorch's
     * {@code Adam(weight_decay=...)}), not decoupled as in AdamW.
     */
    ADAM("adam");

    private final String id;

    Optimizer(String id) {
        this.id = id;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
