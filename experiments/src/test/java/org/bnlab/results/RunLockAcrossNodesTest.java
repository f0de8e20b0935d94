package org.bnlab.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The run lock as Slurm tasks on several nodes meet it: a holder on another node is respected while it refreshes its
 * lock, and taken over once it has not for {@link RunLock#STALE_AFTER}; a lock whose line is not complete yet is
 * respected for {@link RunLock#UNREADABLE_GRACE}. One host's cases: {@link RunLockTest}.
 */
class RunLockAcrossNodesTest {

    @TempDir
    Path run;

    private Path lockFile() {
        return run.resolve(RunLock.FILE);
    }

    private void otherHolder(String line, Duration age) throws IOException {
        Files.writeString(lockFile(), line);
        Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(age)));
    }

    @Test
    void aLiveHolderOnAnotherHostIsRespected() throws IOException {
        otherHolder("node17 4242 2024-01-01T00:00:00Z\n", Duration.ofMinutes(9));
        assertTrue(RunLock.isHeld(run));
        assertTrue(RunLock.tryAcquire(run).isEmpty());
        assertEquals("node17 4242 2024-01-01T00:00:00Z\n", Files.readString(lockFile()), "left as it was");
    }

    @Test
    void aHolderWithoutHeartbeatIsTakenOver() throws IOException {
        otherHolder("node17 4242 2024-01-01T00:00:00Z\n", RunLock.STALE_AFTER.plusMinutes(1));
        assertFalse(RunLock.isHeld(run));
        try (RunLock lock = RunLock.tryAcquire(run).orElseThrow()) {
            assertEquals(RunLock.thisHost(), RunLock.holder(run).orElseThrow().host());
            assertEquals(ProcessHandle.current().pid(), RunLock.holder(run).orElseThrow().pid());
        }
        assertNoStaleFilesLeft();
    }

    @Test
    void aLockWhoseLineIsIncompleteCountsAsHeldForAWhile() throws IOException {
        // created, its line not written yet, or not visible here yet (NFS shows a file's data to other hosts once
        // it is closed): respected, until it has stayed so for longer than a writer could take
        for (String line : List.of("", "node17 4242")) {
            otherHolder(line, Duration.ZERO);
            assertTrue(RunLock.isHeld(run), line);
            assertTrue(RunLock.tryAcquire(run).isEmpty(), line);
            otherHolder(line, RunLock.UNREADABLE_GRACE.plusSeconds(5));
            assertFalse(RunLock.isHeld(run), line);
            RunLock.tryAcquire(run).orElseThrow().close();
        }
        assertNoStaleFilesLeft();
    }

    @Test
    void theHeartbeatKeepsALongRunFromLookingStale() throws IOException {
        try (RunLock lock = RunLock.tryAcquire(run).orElseThrow()) {
            Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(RunLock.STALE_AFTER)));
            lock.heartbeat();
            Duration age = Duration.between(Files.getLastModifiedTime(lockFile()).toInstant(), Instant.now());
            assertTrue(age.compareTo(Duration.ofMinutes(1)) < 0, "refreshed, age " + age);
        }
    }

    @Test
    void closingLeavesALockTakenOverByAnotherAlone() throws IOException {
        RunLock mine = RunLock.tryAcquire(run).orElseThrow();
        // judged stale elsewhere and taken over by node17 meanwhile
        Files.writeString(lockFile(), "node17 4242 2024-01-01T00:00:00Z\n");
        mine.heartbeat(); // not ours any more: not refreshed either
        mine.close();
        assertEquals("node17 4242 2024-01-01T00:00:00Z\n", Files.readString(lockFile()));
    }

    private void assertNoStaleFilesLeft() throws IOException {
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(RunLock.FILE + ".stale")).toList());
        }
    }
}
