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
import java.time.Instant;
import java.util.Optional;

/**
 * The lock of one run folder ({@code run.lock}), so that two processes working on one results folder (two
 * {@code bnlab run} commands, {@code --workers}, Slurm array tasks on a shared file system) never train the same
 * run. It is created with {@code O_EXCL} (atomic on local file systems and on NFS v3 and later) and holds the
 * host, the process id and the start time: {@code host pid start}.
 *
 * <p>A lock left by a process that is gone (same host, no live process with that pid) is taken over: the stale file
 * is renamed away (only one contender's rename succeeds) and a new one created. A lock held by a live process, or
 * by another host (whose processes cannot be checked from here), is respected.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = "run.lock";

    /** Who holds a lock. */
    public record Holder(String host, long pid, String since) {
        @Override
        public String toString() {
            return host + " pid " + pid + " since " + since;
        }

        /** Whether the holder is this machine's and its process is gone. */
        boolean isDeadHere() {
            return host.equals(thisHost()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }
    }

    private final Path file;
    private boolean released;

    private RunLock(Path file) {
        this.file = file;
    }

    /**
     * Takes the lock of {@code runDir} (creating the folder), or returns empty if a live process holds it.
     *
     * @throws UncheckedIOException if the folder cannot be written
     */
    public static Optional<RunLock> tryAcquire(Path runDir) {
        Path file = runDir.resolve(FILE);
        try {
            Files.createDirectories(runDir);
            for (int attempt = 0; attempt < 3; attempt++) {
                if (create(file)) {
                    return Optional.of(new RunLock(file));
                }
                Optional<Holder> holder = holder(runDir);
                if (holder.isPresent() && !holder.get().isDeadHere()) {
                    return Optional.empty();
                }
                // stale (or vanished meanwhile): move it aside; a contender that moved it first makes this fail
                Path aside = runDir.resolve(FILE + ".stale-" + ProcessHandle.current().pid());
                try {
                    Files.move(file, aside);
                    Files.deleteIfExists(aside);
                } catch (NoSuchFileException e) {
                    // someone else removed or took it over: try again
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock run folder " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** The holder of the lock of {@code runDir}, if there is a lock. */
    public static Optional<Holder> holder(Path runDir) {
        Path file = runDir.resolve(FILE);
        try {
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
            if (parts.length < 3) {
                // being written this instant, or left empty by a crash between create and write: a lock that has
                // stayed unreadable for a while is stale
                boolean old = Files.getLastModifiedTime(file).toMillis() < System.currentTimeMillis() - 10_000;
                return Optional.of(old ? new Holder(thisHost(), Long.MAX_VALUE, "?") : new Holder("?", -1, "?"));
            }
            return Optional.of(new Holder(parts[0], Long.parseLong(parts[1]), parts[2]));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            // half-written by a process that died between create and write: treat as this host's dead process
            return Optional.of(new Holder(thisHost(), Long.MAX_VALUE, "?"));
        }
    }

    /** Whether a live process (or another host) holds the lock of {@code runDir}. */
    public static boolean isHeld(Path runDir) {
        return holder(runDir).map(h -> !h.isDeadHere()).orElse(false);
    }

    private static boolean create(Path file) throws IOException {
        String content = thisHost() + " " + ProcessHandle.current().pid() + " " + Instant.now() + "\n";
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

    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file + ": " + e.getMessage(), e);
        }
    }
}
