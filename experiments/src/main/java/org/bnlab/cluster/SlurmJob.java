package org.bnlab.cluster;

/**
 * One line of {@code squeue --states=all --array}: a job, or one task of a job array (pending tasks that Slurm
 * still keeps as one record are listed one by one).
 *
 * @param id          squeue's job id: {@code 42} for a job, {@code 42_3} for task 3 of array 42
 * @param arrayJobId  the array's job id ({@code 42}); for a job that is no array, its own id
 * @param arrayTaskId the task's index in the array, {@code null} for a job that is no array
 * @param state       the state; {@link JobState#OTHER} for one this code does not know
 * @param stateName   the state as squeue printed it (says what an {@code OTHER} is)
 * @param reason      why it waits or how it ended, as squeue prints it ({@code None}, {@code Dependency},
 *                    {@code NonZeroExitCode}, {@code JobLaunchFailure}, ...)
 */
public record SlurmJob(String id, String arrayJobId, Integer arrayTaskId, JobState state, String stateName,
                       String reason) {

    /** {@code 42_3 FAILED (NonZeroExitCode)}, for messages. */
    @Override
    public String toString() {
        return id + " " + stateName + ("None".equals(reason) || reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
