package org.bnlab.experiment;

import org.bnlab.results.RunFolder;
import org.bnlab.results.RunLock;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run stands, from its folder alone (so that it can be read on a cluster's login node).
 *
 * @param status completed, diverged, running (a live process holds its lock), failed ({@code failed.txt}),
 *               started (epochs done, not running), or pending (nothing yet)
 * @param epochs epochs finished so far
 * @param detail the holder of the lock, the failure message, or the divergence, when there is one
 */
public record RunState(RunStatus status, int epochs, String detail) {

    /** The state of the run of {@code run} under {@code outDir}. */
    public static RunState of(Path outDir, PlannedRun run) {
        return of(ExperimentRecord.folderOf(outDir, run));
    }

    /**
     * The state of a recorded run ({@code experiment.json}) under {@code outDir}: its folder by id, else a folder
     * holding the same specification under another id (a run reused by a later expansion, see
     * {@link org.bnlab.results.RunFolders}).
     */
    public static RunState of(Path outDir, ExperimentRecord.Run run) {
        return of(ExperimentRecord.folderOf(outDir, run));
    }

    public static RunState of(RunFolder folder) {
        if (folder.isFinished()) {
            RunSummary s = folder.readSummary().orElseThrow();
            return s.divergedEpoch() != null
                    ? new RunState(RunStatus.DIVERGED, s.epochsCompleted(), "epoch " + s.divergedEpoch())
                    : new RunState(RunStatus.COMPLETED, s.epochsCompleted(), "");
        }
        int epochs = Files.exists(folder.metricsFile()) ? folder.readMetrics().size() : 0;
        if (RunLock.isHeld(folder.dir())) {
            return new RunState(RunStatus.RUNNING, epochs, RunLock.holder(folder.dir()).map(Object::toString).orElse(""));
        }
        Path failure = folder.failureFile();
        if (Files.exists(failure)) {
            try {
                return new RunState(RunStatus.FAILED, epochs, Files.readString(failure).strip());
            } catch (IOException e) {
                return new RunState(RunStatus.FAILED, epochs, "(failed.txt unreadable)");
            }
        }
        return new RunState(epochs > 0 ? RunStatus.STARTED : RunStatus.PENDING, epochs, "");
    }

    /** Whether nothing is left to do for the run. */
    public boolean isFinished() {
        return status.isFinished();
    }

    @Override
    public String toString() {
        return status.name().toLowerCase(java.util.Locale.ROOT) + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
