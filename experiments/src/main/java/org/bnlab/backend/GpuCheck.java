package org.bnlab.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Refuses, before ND4J loads, a GPU the CUDA build cannot run on. DL4J 1.0.0-M2.1's {@code nd4j-cuda-11.6} carries
 * compiled kernels (cubins) for compute capability 3.7 to 8.6 and no PTX, so on another GPU (Hopper H100/H200 at
 * 9.0, Blackwell, Kepler before the K80) the first kernel launch fails mid-run. A cubin built for X.y runs on X.z
 * with z >= y (CUDA's binary compatibility within a major version), so the build covers 3.7 and 5.0 to 8.9.
 *
 * <p>The decision ({@link #problem}) is a pure function of what {@code nvidia-smi} reports, tested without a GPU;
 * {@link #requireUsable} runs it where the CUDA backend is on the class path (the {@code cuda} Maven profile).
 */
public final class GpuCheck {

    /** The CUDA build this project's {@code cuda} profile puts on the class path. */
    public static final String BUILD = "nd4j-cuda-11.6 of DL4J 1.0.0-M2.1";

    /** The oldest compute capability the build has kernels for (the K80), as major * 10 + minor. */
    static final int OLDEST = 37;
    /** The newest major version it has kernels for (sm_80, sm_86: Ampere; Ada's 8.9 runs sm_86's). */
    static final int NEWEST_MAJOR = 8;

    /** The command whose output {@link #parse} reads. */
    static final List<String> NVIDIA_SMI = List.of("nvidia-smi", "--query-gpu=index,name,compute_cap",
            "--format=csv,noheader");

    private static final String CUDA_BACKEND_CLASS = "org/nd4j/linalg/jcublas/JCublasBackend.class";

    /**
     * One GPU as {@code nvidia-smi} lists it.
     *
     * @param index             nvidia-smi's index (what {@code CUDA_VISIBLE_DEVICES} counts by default)
     * @param name              the product name, e.g. {@code NVIDIA H200}
     * @param computeCapability major.minor, e.g. {@code 9.0}
     */
    public record Gpu(int index, String name, String computeCapability) {
    }

    private GpuCheck() {
    }

    /**
     * Whether the build runs on a GPU of this compute capability.
     *
     * @param computeCapability major.minor, e.g. {@code 8.6}
     * @throws IllegalArgumentException if it is not of that form
     */
    public static boolean supports(String computeCapability) {
        String[] parts = computeCapability.strip().split("\\.");
        if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d")) {
            throw new IllegalArgumentException("not a compute capability (major.minor): " + computeCapability);
        }
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        return major * 10 + minor >= OLDEST && major <= NEWEST_MAJOR && major != 4;
    }

    /**
     * The GPUs in {@code nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader} output, one a line
     * ({@code 0, NVIDIA H200, 9.0}); lines of another form (an old driver's {@code [N/A]}, an error) are left out.
     */
    public static List<Gpu> parse(String output) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : output.split("\\R")) {
            int first = line.indexOf(',');
            int last = line.lastIndexOf(',');
            if (first < 0 || last <= first) {
                continue;
            }
            String index = line.substring(0, first).strip();
            String capability = line.substring(last + 1).strip();
            if (!index.matches("\\d+") || !capability.matches("\\d+\\.\\d")) {
                continue;
            }
            gpus.add(new Gpu(Integer.parseInt(index), line.substring(first + 1, last).strip(), capability));
        }
        return gpus;
    }

    /**
     * The one-line reason the build cannot use the GPUs a process would see, or empty when it can (or when nothing
     * is known: no GPU listed).
     *
     * @param gpus          what nvidia-smi listed
     * @param visibleDevices the value of {@code CUDA_VISIBLE_DEVICES}, or null when unset; a list of indices keeps
     *                       those GPUs, any other value (UUIDs) keeps them all
     */
    public static Optional<String> problem(List<Gpu> gpus, String visibleDevices) {
        List<Gpu> visible = gpus;
        if (visibleDevices != null && visibleDevices.strip().matches("\\d+(\\s*,\\s*\\d+)*")) {
            Set<Integer> keep = java.util.Arrays.stream(visibleDevices.split(",")).map(String::strip)
                    .map(Integer::parseInt).collect(Collectors.toSet());
            visible = gpus.stream().filter(g -> keep.contains(g.index())).toList();
        }
        List<Gpu> unusable = visible.stream().filter(g -> !supports(g.computeCapability())).toList();
        if (unusable.isEmpty()) {
            return Optional.empty();
        }
        String which = unusable.stream().map(g -> "GPU " + g.index() + " (" + g.name() + ") has compute capability "
                + g.computeCapability()).collect(Collectors.joining(", "));
        return Optional.of(which + "; the CUDA build (" + BUILD + ") carries kernels for compute capability 3.7 to "
                + "8.6 only, no PTX, so it runs on 3.7 and 5.0 to 8.9 (K80 to Ampere and Ada) and not on Hopper "
                + "(9.0) or newer; use such a GPU (CUDA_VISIBLE_DEVICES picks one) or the CPU build");
    }

    /**
     * On the CUDA build, asks {@code nvidia-smi} for the GPUs and throws if the build cannot use one this process
     * sees; does nothing on the CPU build, or where nvidia-smi is absent or says nothing usable (the backend then
     * fails on its own when it loads).
     *
     * @throws IllegalStateException with the one-line reason of {@link #problem}
     */
    public static void requireUsable() {
        if (GpuCheck.class.getClassLoader().getResource(CUDA_BACKEND_CLASS) == null) {
            return;
        }
        String output = nvidiaSmi();
        problem(parse(output), System.getenv("CUDA_VISIBLE_DEVICES")).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    private static String nvidiaSmi() {
        try {
            Process process = new ProcessBuilder(NVIDIA_SMI).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "";
            }
            return process.exitValue() == 0 ? output : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
