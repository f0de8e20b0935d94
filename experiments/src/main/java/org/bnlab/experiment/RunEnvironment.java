package org.bnlab.experiment;

import org.bnlab.backend.BackendReport;
import org.bnlab.kernels.Dnnl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Everything outside the specification that a run's numbers depend on, written as {@code environment.json}: the
 * data as loaded (sizes, per-channel normalisation, where it came from), the trainable parameter count, the probe
 * interval as resolved from {@code measure.probe_every} (for {@code auto}, from the run's length), the
 * numeric backend and whether its vendor helpers were active, the library versions, the machine, and the exact
 * code (git commit, and whether the working tree had uncommitted changes). {@code onednnPrimitives} lists the oneDNN
 * implementation chosen for each primitive and shape bnlab's kernels have created in this process (a {@code ref:}
 * implementation would mean a slow path). {@code secondsOutsideEpochs} is what the run's last session (the whole
 * run, or the part after its last resume) spent outside its epochs: loading the data, building the network, saving
 * checkpoints and record files, in seconds; null until the session has trained (the capture before its epochs).
 * {@code bnlab plan} calibrates its per-run start-up from it.
 */
public record RunEnvironment(int schemaVersion, ExperimentData.Description data, long trainableParameters,
                             int probeEvery,
                             String startedAt, String gitCommit, Boolean gitDirty, String java, String os,
                             String cpu, int cores, long maxHeapMb, Map<String, String> libraries,
                             BackendReport backend, Map<String, String> onednnPrimitives,
                             Double secondsOutsideEpochs) {

    private static final List<String[]> LIBRARIES = List.of(
            new String[]{"org.deeplearning4j", "deeplearning4j-nn"},
            new String[]{"org.nd4j", "nd4j-api"},
            new String[]{"org.nd4j", "nd4j-native"},
            new String[]{"org.nd4j", "nd4j-cuda-11.6"},
            new String[]{"org.datavec", "datavec-data-image"},
            new String[]{"tech.tablesaw", "tablesaw-core"},
            new String[]{"org.bytedeco", "javacpp"});

    /**
     * Captures the environment of a run now.
     *
     * @param data                what the run trains and evaluates on, as loaded (sizes, normalisation, source)
     * @param trainableParameters the network's trainable parameter count
     * @param probeEvery          iterations between probe snapshots as resolved for this run
     *                            ({@link org.bnlab.spec.MeasureSpec#probeInterval}; 0 = no probe)
     * @param secondsOutsideEpochs seconds the session spent outside its epochs; null before it has trained
     */
    public static RunEnvironment capture(BackendReport backend, ExperimentData.Description data,
                                         long trainableParameters, int probeEvery, Double secondsOutsideEpochs) {
        String[] git = git();
        return new RunEnvironment(ExperimentRecord.SCHEMA_VERSION, data, trainableParameters, probeEvery,
                Instant.now().toString(),
                git[0],
                git[1] == null ? null : !git[1].isBlank(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                libraryVersions(),
                backend,
                new java.util.TreeMap<>(Dnnl.implementations()),
                secondsOutsideEpochs);
    }

    private static Map<String, String> libraryVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String[] library : LIBRARIES) {
            String resource = "META-INF/maven/" + library[0] + "/" + library[1] + "/pom.properties";
            try (InputStream in = RunEnvironment.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    Properties properties = new Properties();
                    properties.load(in);
                    versions.put(library[1], properties.getProperty("version"));
                }
            } catch (IOException ignored) {
                // a library we cannot read the version of is simply not listed
            }
        }
        return versions;
    }

    /** The CPU model as /proc/cpuinfo names it (the architecture where there is none): which machine ran a run. */
    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** {commit, porcelain status}; nulls when this is not a git checkout or git is missing. */
    private static String[] git() {
        String commit = runGit("rev-parse", "HEAD");
        String status = commit == null ? null : runGit("status", "--porcelain", "--untracked-files=no");
        return new String[]{commit == null ? "unknown" : commit.trim(), status};
    }

    private static String runGit(String... args) {
        try {
            String[] command = new String[args.length + 1];
            command[0] = "git";
            System.arraycopy(args, 0, command, 1, args.length);
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
