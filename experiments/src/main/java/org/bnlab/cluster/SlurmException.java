package org.bnlab.cluster;

/**
 * A Slurm command that could not run or that failed: sbatch missing, a rejected submission, a job slurmctld does not
 * know, a wait that timed out. The message is one line and carries the command's own error output, because that is
 * what says why (an unknown partition, an unreachable controller).
 */
public final class SlurmException extends RuntimeException {

    public SlurmException(String message) {
        super(message);
    }

    public SlurmException(String message, Throwable cause) {
        super(message, cause);
    }
}
