package org.bnlab.results;

/**
 * One row of {@code activations.csv}: one layer at one snapshot.
 *
 * @param epoch     1-based epoch the snapshot was taken in
 * @param iteration training steps completed before the snapshot's forward pass (0 = the freshly initialised
 *                  network); counted over the whole run, not per epoch
 * @param stats     the layer's statistics
 */
public record ActivationRow(int epoch, long iteration, LayerActivationStats stats) {
}
