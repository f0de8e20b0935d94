package org.bnlab.model;

import org.bnlab.norm.Normalizer;

import java.util.List;

/**
 * The model part of a run's specification as the network factories read it ({@code spec.ModelSpec} is one); which
 * fields apply depends on the architecture.
 */
public interface NetworkSettings {

    /** resnet: 6n+2 weighted layers. */
    int depth();

    /** resnet: option A or B where a stage changes shape, or none (the plain network). */
    Shortcut shortcut();

    /** What follows each convolution or hidden Dense layer. */
    Normalizer normalization();

    /** How weights start. */
    Initialization init();

    /** mlp: the hidden widths, input side first. */
    List<Integer> hidden();
}
