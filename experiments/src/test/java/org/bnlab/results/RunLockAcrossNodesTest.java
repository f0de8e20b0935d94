package org.bnlab.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The run lock as Slurm tasks on several nodes meet it: live holders elsewhere are respected, holders that are gone
 * (here: a dead process; elsewhere: no heartbeat for {@link RunLock#STALE_AFTER}) are taken over.
 */
class RunLockTest {

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
    void oneHolderAtATime() {
        Optional<RunLock> first = RunLock.tryAcquire(run);
        assertTrue(first.isPresent());
        assertTrue(RunLock.tryAcquire(run).isEmpty(), "held by this live process");
        assertTrue(RunLock.isHeld(run));
        first.get().close();
        assertFalse(Files.exists(lockFile()));
        assertFalse(RunLock.isHeld(run));
        RunLock.tryAcquire(run).orElseThrow().close();
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
    void aDeadProcessOfThisHostIsTakenOverAtOnce() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        otherHolder(RunLock.thisHost() + " " + gone.pid() + " 2024-01-01T00:00:00Z\n", Duration.ZERO);
        assertFalse(RunLock.isHeld(run));
        RunLock.tryAcquire(run).orElseThrow().close();
        assertNoStaleFilesLeft();
    }

    @Test
    void aLockNotReadableYetCountsAsHeldUntilItIsOld() throws IOException {
        // created, its line not yet visible (NFS shows a file's data to other hosts only once it is closed)
        otherHolder("", Duration.ZERO);
        assertTrue(RunLock.isHeld(run));
        assertTrue(RunLock.tryAcquire(run).isEmpty());
        otherHolder("", RunLock.STALE_AFTER.plusMinutes(1));
        RunLock.tryAcquire(run).orElseThrow().close();
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
            assertEquals(java.util.List.of(), files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(RunLock.FILE + ".stale")).toList());
        }
    }
}
