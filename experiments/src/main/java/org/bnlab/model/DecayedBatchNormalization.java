package org.bnlab.model;

/**
 * The name {@link org.bnlab.norm.DecayedBatchNormalization} had before normalizers had their own package: DL4J
 * writes a layer's class name into {@code checkpoint.zip}'s {@code configuration.json}, so checkpoints of runs with
 * {@code train.groups.batchnorm.weight_decay} on DL4J's own layers (an MLP, or {@code execution.kernels: dl4j})
 * name this class; it keeps them readable for resume, {@code init_from} and {@code analyze}. New networks use
 * {@link org.bnlab.norm.DecayedBatchNormalization} itself.
 */
public class DecayedBatchNormalization extends org.bnlab.norm.DecayedBatchNormalization {

    /** For Jackson. */
    public DecayedBatchNormalization() {
        super();
    }
}
