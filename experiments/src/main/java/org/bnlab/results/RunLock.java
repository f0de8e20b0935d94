package org.bnlab.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The lock of one run folder ({@code run.lock}), so that two processes working on one results folder (two
 * {@code bnlab run} commands, {@code --workers}, Slurm array tasks on a shared file system) never train the same
 * run. It is created with {@code O_EXCL} (atomic on local file systems and on NFS v3 and later) and holds the
 * host, the process id and the start time: {@code host pid start}.
 *
 * <p><b>Stale locks.</b> A lock whose holder is gone is taken over: the stale file is renamed away (only one
 * contender's rename succeeds; the winner checks it moved the file it judged stale, not a contender's fresh one)
 * and a new one created. A lock is stale when
 * <ul>
 *   <li>its holder is a process of this host that no longer runs, or</li>
 *   <li>it names this host and this very process, which does not hold it: a process that died left it, and the
 *       restarted machine or container gave its process id to this one (a container's first process often has the
 *       same pid every time), or</li>
 *   <li>the file has not been touched for {@link #STALE_AFTER}: a holder refreshes its lock's modification time
 *       every {@link #HEARTBEAT}, so this is how a holder on another host (whose processes cannot be checked from
 *       here: a Slurm task cancelled or killed on another node, a node that crashed) is found gone, or</li>
 *   <li>its line is incomplete (fewer than three fields) and has been for {@link #UNREADABLE_GRACE}: a writer
 *       that died between creating the file and writing it (a lock being written this instant, or whose line
 *       another host cannot see yet, looks the same for a moment), or</li>
 *   <li>its process id is not a number: no bnlab wrote that.</li>
 * </ul>
 * A holder that ends through a signal (scancel, a Slurm time limit and preemption send SIGTERM first) releases its
 * locks in a shutdown hook, so that a resubmitted task on another node can take the run over at once rather than
 * after {@link #STALE_AFTER}. The two time checks compare the file's time with this host's clock, so they need the
 * hosts' clocks to agree to well within {@link #STALE_AFTER} (NTP does that on any cluster).
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = "run.lock";

    /** How often a holder refreshes its lock file's modification time. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(60);

    /** A lock not refreshed for this long is stale whoever holds it: ten missed heartbeats. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    /** How long a lock whose line is incomplete counts as being written rather than left by a crash. */
    public static final Duration UNREADABLE_GRACE = Duration.ofSeconds(10);

    /** Locks this process holds, released by the shutdown hook when the process ends before closing them. */
    private static final Set<RunLock> HELD = ConcurrentHashMap.newKeySet();

    /**
     * The lock lines this process has written (or is about to) and not released, with how many times: a line of
     * this host and process id that is not among them was left by an earlier process that had the same pid.
     */
    private static final Map<String, Integer> OURS = new ConcurrentHashMap<>();

    /** Who holds a lock; {@code pid} -1 and host {@code ?} while its line is incomplete. */
    public record Holder(String host, long pid, String since) {
        static final Holder UNKNOWN = new Holder("?", -1, "?");

        @Override
        public String toString() {
            return this == UNKNOWN ? "an unknown holder (its lock line is not complete yet)"
                    : host + " pid " + pid + " since " + since;
        }

        /** Whether the holder is this process of this machine. */
        boolean isThisProcess() {
            return pid == ProcessHandle.current().pid() && host.equals(thisHost());
        }

        /** Whether the holder is this machine's and its process is gone. */
        boolean isDeadHere() {
            return pid >= 0 && host.equals(thisHost()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }
    }

    private final Path file;
    private final String content;
    private final ScheduledFuture<?> heartbeat;
    private volatile boolean released;

    private RunLock(Path file, String content) {
        this.file = file;
        this.content = content;
        HELD.add(this);
        this.heartbeat = Heartbeats.EXECUTOR.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toMillis(),
                HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock of {@code runDir} (creating the folder), or returns empty if a live process holds it.
     *
     * @throws UncheckedIOException if the folder cannot be written
     */
    public static Optional<RunLock> tryAcquire(Path runDir) {
        Path file = runDir.resolve(FILE);
        String content = thisHost() + " " + ProcessHandle.current().pid() + " " + Instant.now() + "\n";
        try {
            Files.createDirectories(runDir);
            for (int attempt = 0; attempt < 3; attempt++) {
                claim(content); // before the file exists, so that a thread of this process never judges it stale
                boolean created = false;
                try {
                    created = create(file, content);
                } finally {
                    if (!created) {
                        unclaim(content);
                    }
                }
                if (created) {
                    return Optional.of(new RunLock(file, content));
                }
                Optional<String> judged = read(file);
                if (judged.isEmpty()) {
                    continue; // released meanwhile: try to create it again
                }
                if (!isStale(file, judged.get())) {
                    return Optional.empty();
                }
                if (!moveAsideIfStill(file, judged.get())) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock run folder " + runDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames the lock away if it still holds {@code judged} (the stale holder's line). Returns false when what was
     * moved turned out to be a contender's fresh lock (it took the stale one over first): that one is put back.
     */
    private static boolean moveAsideIfStill(Path file, String judged) throws IOException {
        // A name no other host or process uses: two contenders must never move to the same place.
        Path aside = file.resolveSibling(FILE + ".stale-" + thisHost() + "-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            Files.move(file, aside);
        } catch (NoSuchFileException e) {
            return true; // someone else removed or took it over: try again
        }
        Optional<String> moved = read(aside);
        if (moved.isPresent() && !moved.get().equals(judged)) {
            try {
                Files.move(aside, file);
            } catch (FileAlreadyExistsException e) {
                // a third process created one meanwhile; the contender keeps running without a file
                Files.deleteIfExists(aside);
            }
            return false;
        }
        Files.deleteIfExists(aside);
        return true;
    }

    /** The holder of the lock of {@code runDir}, if there is a lock. */
    public static Optional<Holder> holder(Path runDir) {
        return read(runDir.resolve(FILE)).map(RunLock::parse);
    }

    /** Whether a process that is not known to be gone holds the lock of {@code runDir} (see the class comment). */
    public static boolean isHeld(Path runDir) {
        Path file = runDir.resolve(FILE);
        return read(file).map(text -> !isStale(file, text)).orElse(false);
    }

    private static boolean isStale(Path file, String text) {
        Holder holder = parse(text);
        Duration age;
        try {
            age = Duration.between(Files.getLastModifiedTime(file).toInstant(), Instant.now());
        } catch (IOException e) {
            return false; // vanished meanwhile: the next attempt sees that
        }
        if (age.compareTo(STALE_AFTER) > 0) {
            return true;
        }
        if (holder == Holder.UNKNOWN) {
            return age.compareTo(UNREADABLE_GRACE) > 0;
        }
        return holder.isDeadHere() || holder.isThisProcess() && !OURS.containsKey(text);
    }

    private static void claim(String content) {
        OURS.merge(content, 1, Integer::sum);
    }

    private static void unclaim(String content) {
        OURS.computeIfPresent(content, (k, n) -> n == 1 ? null : n - 1);
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(""); // there, but unreadable: an incomplete line
        }
    }

    private static Holder parse(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length < 3) {
            return Holder.UNKNOWN;
        }
        try {
            return new Holder(parts[0], Long.parseLong(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            return new Holder(thisHost(), Long.MAX_VALUE, "?"); // garbled: a dead process of this host
        }
    }

    private static boolean create(Path file, String content) throws IOException {
        try {
            Files.write(file, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "localhost" : env;
        }
    }

    /** Refreshes the lock file's modification time while it is still this lock's (see {@link #STALE_AFTER}). */
    void heartbeat() {
        if (released || !read(file).map(content::equals).orElse(false)) {
            return;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // the next heartbeat tries again; ten misses in a row make the lock stale, as they should
        }
    }

    /** Removes the lock file, if it is still this lock's (a lock taken over as stale is the new holder's). */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        heartbeat.cancel(false);
        HELD.remove(this);
        try {
            if (read(file).map(content::equals).orElse(false)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file + ": " + e.getMessage(), e);
        } finally {
            unclaim(content);
        }
    }

    /** The heartbeat thread and the shutdown hook, created with the first lock. */
    private static final class Heartbeats {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "run-lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (RunLock lock : HELD) {
                    try {
                        lock.close();
                    } catch (UncheckedIOException ignored) {
                        // the process is ending; a lock left behind is found stale later
                    }
                }
            }, "run-lock-release"));
        }
    }
}
