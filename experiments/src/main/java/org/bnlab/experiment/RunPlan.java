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
 */
public record RunPlan(String run, ExperimentData.Description data, ResNetSpec model, long trainableParameters,
                      TrainingSpec training) {

    public static String runId(ResNetSpec model, Variant variant, long seed) {
        return model.modelName() + (model.shortcut().id().equals("A") ? "" : "-proj") + "-" + variant.id()
                + "-seed" + seed;
    }
}
