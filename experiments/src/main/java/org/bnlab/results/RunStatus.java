package org.bnlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a finished run ended. A run that crashed has no summary at all, so it has no status here. */
public enum RunStatus {
    /** Trained for every planned epoch. */
    @JsonProperty("completed")
    COMPLETED,
    /** Stopped early because the loss became NaN or infinite, or exploded far above its starting value. */
    @JsonProperty("diverged")
    DIVERGED
}
