package org.bnlab.cluster;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private single-node Slurm cluster for one test class, started and stopped with {@code scripts/slurm-cluster}
 * in a fresh folder under {@code /tmp} (short: Slurm's Unix socket paths are limited to about 108 bytes, and
 * {@code java.io.tmpdir} may be long). Use from {@code @BeforeAll} / {@code @BeforeEach} / {@code @AfterAll}:
 * <pre>
 * &#64;BeforeAll  cluster = SlurmCluster.start();   // fails in CI when Slurm cannot run
 * &#64;BeforeEach slurm = cluster.client();         // skips each test, with the reason, when Slurm cannot run
 * &#64;AfterAll   cluster.close();
 * </pre>
 *
 * <p>Where Slurm cannot run ({@code scripts/slurm-cluster check} says why: packages missing, not root), the tests
 * are skipped with that reason, except when the environment variable {@code CI} is set: CI must run these tests,
 * so there {@link #start()} fails them instead. The skip happens per test, in {@link #client()}: surefire reports
 * a skip from {@code @BeforeAll} as "Tests run: 0", which would hide the reason.
 */
public final class SlurmCluster implements AutoCloseable {

    /**
     * Seconds, a guard against a hang only: longer than the script's own limits (it gives up after 180 s waiting
     * for the node, or for jobs to end, and prints why), which a loaded shared machine can come near.
     */
    private static final long SCRIPT_TIMEOUT_SECONDS = 600;

    private final Path repository;
    private final Path folder;
    private final Map<String, String> environment;
    private final Thread stopAtExit;
    /** Why no cluster runs here, or null when one runs. */
    private final String unavailable;

    private SlurmCluster(Path repository, Path folder) {
        this.repository = repository;
        this.folder = folder;
        this.unavailable = null;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SLURM_CONF", folder.resolve("slurm.conf").toString());
        this.environment = Map.copyOf(env);
        // A JVM that ends without @AfterAll (a crash in a test, Ctrl-C) must not leave daemons behind.
        this.stopAtExit = new Thread(this::stopQuietly, "slurm-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    private SlurmCluster(String unavailable) {
        this.repository = null;
        this.folder = null;
        this.environment = Map.of();
        this.stopAtExit = null;
        this.unavailable = unavailable;
    }

    /**
     * Starts a cluster in a new folder {@code /tmp/bnlab-slurm-*} and waits until its node is idle. Where Slurm
     * cannot run and {@code CI} is not set, returns a cluster whose {@link #client()} skips the calling test.
     *
     * @throws AssertionError where Slurm cannot run and {@code CI} is set, or the start fails (with the script's
     *                        message and the end of each daemon's log)
     */
    public static SlurmCluster start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, on a cluster whose {@code MaxArraySize} is {@code maxArraySize}: array task indices
     * from 0 to {@code maxArraySize - 1} only (Slurm's default is 1001), so that a few runs can overflow an array.
     *
     * @param maxArraySize at least 1
     */
    public static SlurmCluster startWithMaxArraySize(int maxArraySize) throws IOException, InterruptedException {
        if (maxArraySize < 1) {
            throw new IllegalArgumentException("MaxArraySize must be at least 1, got " + maxArraySize);
        }
        return start(Map.of("BNLAB_SLURM_MAX_ARRAY_SIZE", Integer.toString(maxArraySize)));
    }

    /** @param settings environment variables of {@code scripts/slurm-cluster start} */
    private static SlurmCluster start(Map<String, String> settings) throws IOException, InterruptedException {
        Path repository = repositoryRoot();
        Result check = script(repository, "check");
        if (check.status != 0) {
            SlurmCluster none = unavailable(check.output.strip().replaceFirst("^bnlab: slurm-cluster: ", ""),
                    System.getenv("CI") != null);
            // Also on stderr: in mvn's output a skip shows only as a count.
            System.err.println("SKIPPED: " + none.unavailable);
            return none;
        }
        Path folder = Files.createTempDirectory(Path.of("/tmp"), "bnlab-slurm-");
        SlurmCluster cluster = new SlurmCluster(repository, folder);
        Result started = script(repository, settings, "start", folder.toString());
        if (started.status != 0) {
            String logs = cluster.logTails();
            cluster.close();
            Assertions.fail("scripts/slurm-cluster start failed: " + started.output.strip() + logs);
        }
        return cluster;
    }

    /**
     * No cluster can run here: a failure in CI, else a stand-in whose {@link #client()} skips each test.
     *
     * @param reason why, as {@code scripts/slurm-cluster check} printed it
     * @param ci     whether the environment variable {@code CI} is set
     */
    static SlurmCluster unavailable(String reason, boolean ci) {
        String message = "Slurm tests need a local cluster: " + reason;
        if (ci) {
            Assertions.fail(message + " (CI is set, so these tests must run; scripts/test installs the packages "
                    + "when run as root)");
        }
        return new SlurmCluster(message);
    }

    private void requireRunning() {
        if (unavailable != null) {
            Assumptions.abort(unavailable);
        }
    }

    /**
     * The environment for Slurm's clients: this process's, with {@code SLURM_CONF} pointing at this cluster.
     *
     * @throws org.opentest4j.TestAbortedException where no cluster runs (outside CI)
     */
    public Map<String, String> environment() {
        requireRunning();
        return environment;
    }

    /**
     * A client of this cluster.
     *
     * @throws org.opentest4j.TestAbortedException where no cluster runs (outside CI)
     */
    public Slurm client() {
        return new Slurm(environment());
    }

    /**
     * The cluster's folder: configuration, state, logs.
     *
     * @throws org.opentest4j.TestAbortedException where no cluster runs (outside CI)
     */
    public Path folder() {
        requireRunning();
        return folder;
    }

    /**
     * Cancels all jobs, stops the daemons and removes the folder.
     *
     * @throws AssertionError if {@code scripts/slurm-cluster stop} fails (daemons may be left running)
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (unavailable != null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs (or ran) anyway.
        }
        Result stopped = script(repository, "stop", folder.toString());
        if (stopped.status != 0) {
            Assertions.fail("scripts/slurm-cluster stop failed: " + stopped.output.strip() + logTails());
        }
        deleteTree(folder);
    }

    private void stopQuietly() {
        try {
            script(repository, "stop", folder.toString());
        } catch (IOException | InterruptedException ignored) {
            // At JVM exit there is no one left to tell.
        }
    }

    /** The last lines of each daemon's log, for a failure message that can be read from CI's output alone. */
    private String logTails() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("munged.log", "slurmctld.log", "slurmd.log")) {
            Path log = folder.resolve(name);
            if (Files.isRegularFile(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("\n--- ").append(log).append(" (last lines) ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        }
        return out.toString();
    }

    /**
     * The repository's root: the first folder upwards from the working directory that holds
     * {@code scripts/slurm-cluster} (surefire runs in {@code experiments/}, an IDE may run in the root).
     */
    public static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path folder = start; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("scripts/slurm-cluster"))) {
                return folder;
            }
        }
        throw new IllegalStateException("no scripts/slurm-cluster in " + start + " or any folder above it");
    }

    private record Result(int status, String output) {
    }

    private static Result script(Path repository, String... args) throws IOException, InterruptedException {
        return script(repository, Map.of(), args);
    }

    private static Result script(Path repository, Map<String, String> settings, String... args)
            throws IOException, InterruptedException {
        List<String> command = Stream.concat(Stream.of(repository.resolve("scripts/slurm-cluster").toString()),
                Stream.of(args)).collect(Collectors.toList());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(settings);
        Process process = builder.start();
        process.getOutputStream().close();
        // The script's output is a few lines; reading it to the end also waits for the script to end.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "scripts/slurm-cluster " + String.join(" ", args) + ": no end after "
                    + SCRIPT_TIMEOUT_SECONDS + " s; " + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
