package org.bnlab.experiment;

import org.bnlab.model.ResNetSpec;
import org.bnlab.train.TrainingSpec;

/**
 * The fully resolved configuration of one run, written as its {@code config.json}. A run folder is only ever
 * resumed by a plan equal to the one that created it.
 *
 * @param run                 the run's id, also its folder name
 * @param data                the images it trains and evaluates on
 * @param model               the network
 * @param trainableParameters the network's trainable parameter count
 * @param training            the recipe
 * @param activationStatsEvery training iterations between activation-statistics snapshots (0 = none); recorded
 *                            because it decides what {@code activations.csv} holds, though not the training
 */
public record RunPlan(String run, ExperimentData.Description data, ResNetSpec model, long trainableParameters,
                      TrainingSpec training, int activationStatsEvery) {

    public static String runId(ResNetSpec model, Variant variant, long seed) {
        return model.modelName() + (model.shortcut().id().equals("A") ? "" : "-proj") + "-" + variant.id()
                + "-seed" + seed;
    }
}
