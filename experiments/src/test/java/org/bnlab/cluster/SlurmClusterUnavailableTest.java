package org.bnlab.cluster;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;

/** Without Slurm the cluster tests skip on a developer's machine but fail in CI, which must never skip them. */
class SlurmClusterUnavailableTest {

    private static final String REASON = "slurm-wlm is not installed; run: apt-get install -y slurm-wlm munge";

    @Test
    void skipsEachTestWithTheReasonOutsideCi() throws Exception {
        try (SlurmCluster cluster = SlurmCluster.unavailable(REASON, false)) {
            TestAbortedException e = assertThrows(TestAbortedException.class, cluster::client);
            assertTrue(e.getMessage().contains(REASON), e.getMessage());
            assertThrows(TestAbortedException.class, cluster::environment);
        }
    }

    @Test
    void failsWithTheReasonInCi() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> SlurmCluster.unavailable(REASON, true));
        assertTrue(e.getMessage().contains(REASON), e.getMessage());
        assertTrue(e.getMessage().contains("CI is set"), e.getMessage());
    }

    @Test
    void findsTheRepositoryFromTheModuleFolder() {
        // Surefire runs in experiments/; the script is one folder up.
        assertTrue(Files.isExecutable(SlurmCluster.repositoryRoot().resolve("scripts/slurm-cluster")));
        assertTrue(Files.isRegularFile(SlurmCluster.repositoryRoot().resolve("experiments/pom.xml")));
    }
}
