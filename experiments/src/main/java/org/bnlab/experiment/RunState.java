package org.bnlab.experiment;

import org.bnlab.results.RunFolder;
import org.bnlab.results.RunLock;
import org.bnlab.results.RunSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run stands, from its folder alone (so that it can be read on a cluster's login node).
 *
 * @param kind   completed, diverged, running (a live process holds its lock), failed ({@code failed.txt}),
 *               started (epochs done, not running), or pending (nothing yet)
 * @param epochs epochs finished so far
 * @param detail the holder of the lock, the failure message, or the divergence, when there is one
 */
public record RunState(Kind kind, int epochs, String detail) {

    public enum Kind { COMPLETED, DIVERGED, RUNNING, FAILED, STARTED, PENDING }

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
                    ? new RunState(Kind.DIVERGED, s.epochsCompleted(), "epoch " + s.divergedEpoch())
                    : new RunState(Kind.COMPLETED, s.epochsCompleted(), "");
        }
        int epochs = Files.exists(folder.metricsFile()) ? folder.readMetrics().size() : 0;
        if (RunLock.isHeld(folder.dir())) {
            return new RunState(Kind.RUNNING, epochs, RunLock.holder(folder.dir()).map(Object::toString).orElse(""));
        }
        Path failure = folder.failureFile();
        if (Files.exists(failure)) {
            try {
                return new RunState(Kind.FAILED, epochs, Files.readString(failure).strip());
            } catch (IOException e) {
                return new RunState(Kind.FAILED, epochs, "(failed.txt unreadable)");
            }
        }
        return new RunState(epochs > 0 ? Kind.STARTED : Kind.PENDING, epochs, "");
    }

    /** Whether nothing is left to do for the run. */
    public boolean isFinished() {
        return kind == Kind.COMPLETED || kind == Kind.DIVERGED;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
