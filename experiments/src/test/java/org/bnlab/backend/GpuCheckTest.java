package org.bnlab.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision whether the CUDA build can use a GPU, from nvidia-smi's words alone (no GPU needed). */
class GpuCheckTest {

    private static final String NODE = """
            0, NVIDIA H200, 9.0
            1, NVIDIA A100-SXM4-80GB, 8.0
            2, Tesla K80, 3.7
            """;

    @Test
    void compiledRangeAndBinaryCompatibilityWithinAMajorVersion() {
        for (String ok : List.of("3.7", "5.0", "5.2", "6.0", "6.1", "7.0", "7.5", "8.0", "8.6", "8.9")) {
            assertTrue(GpuCheck.supports(ok), ok);
        }
        for (String no : List.of("3.0", "3.5", "9.0", "10.0", "12.0")) {
            assertFalse(GpuCheck.supports(no), no);
        }
        assertThrows(IllegalArgumentException.class, () -> GpuCheck.supports("[N/A]"));
    }

    @Test
    void readsNvidiaSmisCsvAndSkipsWhatItCannotRead() {
        List<GpuCheck.Gpu> gpus = GpuCheck.parse(NODE + "1, Some Old GPU, [N/A]\nNVIDIA-SMI has failed\n");
        assertEquals(List.of(new GpuCheck.Gpu(0, "NVIDIA H200", "9.0"),
                new GpuCheck.Gpu(1, "NVIDIA A100-SXM4-80GB", "8.0"), new GpuCheck.Gpu(2, "Tesla K80", "3.7")), gpus);
        assertEquals(List.of(), GpuCheck.parse(""));
    }

    @Test
    void aHopperGpuIsRefusedInOneLineNamingItsCapabilityAndTheBuildsRange() {
        Optional<String> problem = GpuCheck.problem(GpuCheck.parse("0, NVIDIA H200, 9.0\n"), null);
        assertTrue(problem.isPresent());
        String line = problem.get();
        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("GPU 0 (NVIDIA H200) has compute capability 9.0; the CUDA build (nd4j-cuda-11.6"),
                line);
        assertTrue(line.contains("3.7 to 8.6"), line);
    }

    @Test
    void onlyTheGpusThisProcessSeesCount() {
        List<GpuCheck.Gpu> node = GpuCheck.parse(NODE);
        assertEquals(Optional.empty(), GpuCheck.problem(node, "1"));
        assertEquals(Optional.empty(), GpuCheck.problem(node, "2, 1"));
        assertTrue(GpuCheck.problem(node, "1,0").orElseThrow().startsWith("GPU 0 (NVIDIA H200)"));
        // UUIDs cannot be matched to nvidia-smi's indices: every GPU of the node counts
        assertTrue(GpuCheck.problem(node, "GPU-5f0c").isPresent());
        assertTrue(GpuCheck.problem(node, null).isPresent());
        assertEquals(Optional.empty(), GpuCheck.problem(GpuCheck.parse("0, NVIDIA GeForce RTX 3090, 8.6"), null));
        assertEquals(Optional.empty(), GpuCheck.problem(List.of(), null), "nothing listed: nothing to refuse");
    }

    @Test
    void theCpuBuildAsksNothing() {
        GpuCheck.requireUsable(); // the test class path is the CPU profile's: no nvidia-smi call, no error
    }
}
