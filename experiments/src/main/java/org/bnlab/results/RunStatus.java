package org.bnlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A run's condition, as {@code bnlab status} prints it (lowercase): finished ({@link #COMPLETED} or {@link #DIVERGED},
 * the only two a {@code summary.json} records), or not yet. The order is the order {@code bnlab status} counts them in.
 */
public enum RunStatus {
    /** Trained for every planned epoch. */
    @JsonProperty("completed")
    COMPLETED,
    /** Stopped early because the loss became NaN or infinite, or exploded far above its starting value. */
    @JsonProperty("diverged")
    DIVERGED,
    /** A live process holds its lock ({@link RunLock}) and trains it. */
    @JsonProperty("running")
    RUNNING,
    /** Its last attempt failed for another reason than divergence ({@code failed.txt} says why); it can be run again. */
    @JsonProperty("failed")
    FAILED,
    /** Some epochs done, not running (interrupted): running it again resumes from its last checkpoint. */
    @JsonProperty("started")
    STARTED,
    /** Nothing done yet. */
    @JsonProperty("pending")
    PENDING;

    /** Whether nothing is left to do for the run (completed or diverged). */
    public boolean isFinished() {
        return this == COMPLETED || this == DIVERGED;
    }
}
