package org.bnlab.cluster;

import java.util.Locale;

/**
 * A Slurm job's state as {@code squeue --states=all} prints it ({@code %T}). {@link #OTHER} stands for any state
 * this list lacks (Slurm adds some between versions), so that a new one is never mistaken for a finished job.
 */
public enum JobState {
    PENDING(false), CONFIGURING(false), RUNNING(false), COMPLETING(false), SUSPENDED(false), REQUEUED(false),
    REQUEUE_HOLD(false), REQUEUE_FED(false), RESIZING(false), SIGNALING(false), STAGE_OUT(false), STOPPED(false),
    RESV_DEL_HOLD(false),
    COMPLETED(true), FAILED(true), CANCELLED(true), TIMEOUT(true), OUT_OF_MEMORY(true), NODE_FAIL(true),
    PREEMPTED(true), BOOT_FAIL(true), DEADLINE(true), REVOKED(true),
    /** Held after a special exit code: it stays in the queue, but nothing runs it again unless someone does. */
    SPECIAL_EXIT(true),
    OTHER(false);

    private final boolean finished;

    JobState(boolean finished) {
        this.finished = finished;
    }

    /** True when the job will not run again by itself: it ended, successfully or not. */
    public boolean isFinished() {
        return finished;
    }

    /** The state named by squeue's text, {@link #OTHER} for an unknown name. */
    public static JobState parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return OTHER;
        }
    }
}
