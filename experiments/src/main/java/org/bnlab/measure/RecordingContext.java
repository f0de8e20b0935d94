package org.bnlab.measure;

import org.bnlab.spec.RunSpec;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Objects;

/**
 * What a {@link Measurement} may use to build its recorder for one run.
 *
 * @param spec       the run's specification (its {@code measure.*} settings say what to record and how often)
 * @param iterations the run's training steps in all epochs
 * @param batchSize  images per training step
 * @param samples    fixed batches of evaluation images, drawn reproducibly from a seed
 */
public record RecordingContext(RunSpec spec, long iterations, int batchSize, EvaluationSamples samples) {

    /** Fixed batches of the run's evaluation images. */
    @FunctionalInterface
    public interface EvaluationSamples {
        /**
         * {@code images} evaluation images (fewer when the set is smaller) drawn with {@code seed}, normalised like
         * evaluation batches, in the network's layout, with one-hot labels.
         */
        DataSet draw(int images, long seed);
    }

    public RecordingContext {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(samples, "samples");
    }
}
