package org.bnlab.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The lock file of a run folder: one holder at a time, stale locks of dead local processes taken over. */
class RunLockTest {

    @TempDir
    Path tmp;

    /** The pid of a process that has ended (started and waited for here). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        long pid = p.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }

    @Test
    void aSecondAcquireFailsWhileTheLockIsHeld() {
        Path run = tmp.resolve("run-1");
        Optional<RunLock> first = RunLock.tryAcquire(run);
        assertTrue(first.isPresent());
        assertTrue(Files.exists(run.resolve(RunLock.FILE)), "the folder and the lock file are created");
        assertTrue(RunLock.tryAcquire(run).isEmpty(), "held by this live process");
        assertTrue(RunLock.isHeld(run));
        RunLock.Holder holder = RunLock.holder(run).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), holder.pid());
        assertEquals(RunLock.thisHost(), holder.host());
        assertTrue(holder.toString().contains("pid " + holder.pid()), holder.toString());

        first.get().close();
        assertFalse(Files.exists(run.resolve(RunLock.FILE)), "released");
        assertFalse(RunLock.isHeld(run));
        assertEquals(Optional.empty(), RunLock.holder(run));
        first.get().close(); // twice is harmless
        try (RunLock again = RunLock.tryAcquire(run).orElseThrow()) {
            assertTrue(RunLock.isHeld(run));
        }
    }

    @Test
    void theLockFileSaysHostPidAndStart() throws Exception {
        Path run = tmp.resolve("run");
        try (RunLock lock = RunLock.tryAcquire(run).orElseThrow()) {
            String[] parts = Files.readString(run.resolve(RunLock.FILE)).strip().split(" ");
            assertEquals(3, parts.length);
            assertEquals(RunLock.thisHost(), parts[0]);
            assertEquals(Long.toString(ProcessHandle.current().pid()), parts[1]);
            java.time.Instant.parse(parts[2]);
        }
    }

    @Test
    void aLockOfADeadProcessOnThisHostIsTakenOver() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        long dead = deadPid();
        Files.writeString(run.resolve(RunLock.FILE), RunLock.thisHost() + " " + dead + " 2020-01-01T00:00:00Z\n");
        assertFalse(RunLock.isHeld(run), "a dead holder does not hold it");

        try (RunLock lock = RunLock.tryAcquire(run).orElseThrow(() -> new AssertionError("stale lock not taken"))) {
            assertEquals(ProcessHandle.current().pid(), RunLock.holder(run).orElseThrow().pid());
        }
        try (var files = Files.list(run)) {
            assertEquals(0, files.count(), "no stale copy left behind");
        }
    }

    @Test
    void aLockNamingThisProcessThatItDoesNotHoldIsTakenOver() throws Exception {
        // a container restarted after a crash: the process that wrote the lock had the pid this one has now
        Path run = Files.createDirectories(tmp.resolve("run"));
        long self = ProcessHandle.current().pid();
        Files.writeString(run.resolve(RunLock.FILE), RunLock.thisHost() + " " + self + " 2020-01-01T00:00:00Z\n");
        assertFalse(RunLock.isHeld(run), "this process does not hold it, so no one does");
        try (RunLock lock = RunLock.tryAcquire(run).orElseThrow(() -> new AssertionError("stale lock not taken"))) {
            assertNotEquals("2020-01-01T00:00:00Z", RunLock.holder(run).orElseThrow().since());
            assertTrue(RunLock.isHeld(run), "now it does");
            assertTrue(RunLock.tryAcquire(run).isEmpty(), "and a second acquire here is still refused");
        }
    }

    @Test
    void aGarbledLockIsTakenOver() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(RunLock.FILE), RunLock.thisHost() + " notapid 2020-01-01T00:00:00Z\n");
        try (RunLock lock = RunLock.tryAcquire(run).orElseThrow()) {
            assertEquals(ProcessHandle.current().pid(), RunLock.holder(run).orElseThrow().pid());
        }
    }

    @Test
    void aLockOfAnotherHostIsRespected() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        String other = "not-" + RunLock.thisHost();
        long dead = deadPid(); // dead here, but a pid on another machine cannot be checked from here
        Files.writeString(run.resolve(RunLock.FILE), other + " " + dead + " 2020-01-01T00:00:00Z\n");
        assertTrue(RunLock.tryAcquire(run).isEmpty());
        assertTrue(RunLock.isHeld(run));
        assertEquals(new RunLock.Holder(other, dead, "2020-01-01T00:00:00Z"), RunLock.holder(run).orElseThrow());
        assertTrue(Files.readString(run.resolve(RunLock.FILE)).startsWith(other), "left as it was");
    }

    @Test
    void aLockOfAnotherLiveProcessOnThisHostIsRespected() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(run.resolve(RunLock.FILE),
                    RunLock.thisHost() + " " + sleeper.pid() + " 2020-01-01T00:00:00Z\n");
            assertTrue(RunLock.tryAcquire(run).isEmpty());
            assertTrue(RunLock.isHeld(run));
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
        assertTrue(RunLock.tryAcquire(run).isPresent(), "once it has ended, the lock is stale");
    }

    @Test
    void manyThreadsRacingForOneLockGetItOnce() throws Exception {
        Path run = tmp.resolve("run");
        int threads = 8;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return RunLock.tryAcquire(run).isPresent();
                }));
            }
            start.countDown();
            int winners = 0;
            for (var r : results) {
                winners += r.get() ? 1 : 0;
            }
            assertEquals(1, winners, "O_EXCL: exactly one creator");
        } finally {
            pool.shutdownNow();
        }
    }
}
