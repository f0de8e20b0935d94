package org.bnlab.report;

import static org.bnlab.report.RunFixtures.completed;
import static org.bnlab.report.RunFixtures.epochs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.bnlab.results.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchNormPartnersTest {

    @TempDir
    Path tmp;

    private List<FinishedRun> load() {
        return RunFolder.findFinished(tmp).stream().map(FinishedRun::load).toList();
    }

    private static FinishedRun named(List<FinishedRun> runs, String name) {
        return runs.stream().filter(r -> r.summary().run().equals(name)).findFirst().orElseThrow();
    }

    private static Optional<String> partnerName(List<FinishedRun> runs, String name) {
        return new BatchNormPartners(runs).partnerOf(named(runs, name)).map(r -> r.summary().run());
    }

    @Test
    void matchesTheBatchNormRunOfTheSameSeed() {
        completed(tmp, "bn-s1", "batchnorm", "he", 1, epochs(0.5));
        completed(tmp, "bn-s2", "batchnorm", "he", 2, epochs(0.6));
        completed(tmp, "nobn-s2", "none", "zero-residual", 2, epochs(0.4));
        completed(tmp, "nobn-s3", "none", "zero-residual", 3, epochs(0.4));
        List<FinishedRun> runs = load();

        assertEquals(Optional.of("bn-s2"), partnerName(runs, "nobn-s2"));
        assertEquals(Optional.empty(), partnerName(runs, "nobn-s3"), "no BN run with seed 3");
        assertEquals(Optional.empty(), partnerName(runs, "bn-s1"), "BN runs have no partner");
    }

    @Test
    void prefersTheSameInitWhenSeveralBatchNormRunsMatch() {
        completed(tmp, "bn-he", "batchnorm", "he", 1, epochs(0.5));
        completed(tmp, "bn-zr", "batchnorm", "zero-residual", 1, epochs(0.6));
        completed(tmp, "nobn-zr", "none", "zero-residual", 1, epochs(0.4));
        completed(tmp, "nobn-other", "none", "orthogonal", 1, epochs(0.4));
        List<FinishedRun> runs = load();

        assertEquals(Optional.of("bn-zr"), partnerName(runs, "nobn-zr"));
        assertEquals(Optional.empty(), partnerName(runs, "nobn-other"), "two candidates, neither with its init");
    }
}
