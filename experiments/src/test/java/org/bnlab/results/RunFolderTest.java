package org.bnlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

    @TempDir
    Path tmp;

    static RunSummary completed(String run) {
        return new RunSummary(run, RunStatus.COMPLETED, null, null, "cifar10", "resnet20", 20, "A", "batchnorm",
                "he", 0.1, 128, 3, 3, 42L, 50000, 10000, 0.713, 0.72, 123.5);
    }

    static RunSummary diverged(String run) {
        return new RunSummary(run, RunStatus.DIVERGED, 1, "loss became NaN at iteration 37", "cifar10", "resnet20",
                20, "A", "none", "he", 0.1, 128, 3, 0, 42L, 50000, 10000, null, null, 4.5);
    }

    @Test
    void summaryRoundTripsThroughJson() {
        RunFolder folder = RunFolder.at(tmp.resolve("run-1"));
        folder.writeSummary(completed("run-1"));
        RunFolder other = RunFolder.at(tmp.resolve("run-2"));
        other.writeSummary(diverged("run-2"));

        assertEquals(Optional.of(completed("run-1")), folder.readSummary());
        assertEquals(Optional.of(diverged("run-2")), other.readSummary());
    }

    @Test
    void summaryJsonUsesSnakeCaseNamesAndExplicitNulls() throws Exception {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        folder.writeSummary(diverged("run"));

        String json = Files.readString(folder.summaryFile());

        assertTrue(json.contains("\"status\" : \"diverged\""), json);
        assertTrue(json.contains("\"diverged_epoch\" : 1"), json);
        assertTrue(json.contains("\"diverged_reason\" : \"loss became NaN at iteration 37\""), json);
        assertTrue(json.contains("\"final_test_accuracy\" : null"), json);
        assertTrue(json.contains("\"epochs_completed\" : 0"), json);
        assertTrue(json.contains("\"learning_rate\" : 0.1"), json);
        assertFalse(json.contains("uses_batch_norm"), json);
    }

    @Test
    void isFinishedOnlyOnceTheSummaryIsWritten() {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        assertFalse(folder.isFinished());

        folder.writeConfig("{\"lr\": 0.1}");
        folder.writeEnvironment("{\"backend\": \"cpu\"}");
        folder.writeMetrics(List.of(MetricsCsvTest.NORMAL));
        assertFalse(folder.isFinished(), "config, environment and metrics do not finish a run");
        assertEquals(Optional.empty(), folder.readSummary());

        folder.writeSummary(completed("run"));
        assertTrue(folder.isFinished());
    }

    @Test
    void findFinishedListsOnlySubFoldersWithASummarySortedByName() throws Exception {
        RunFolder.at(tmp.resolve("b-run")).writeSummary(completed("b-run"));
        RunFolder.at(tmp.resolve("a-run")).writeSummary(completed("a-run"));
        RunFolder.at(tmp.resolve("crashed")).writeMetrics(List.of(MetricsCsvTest.NORMAL));
        Files.writeString(tmp.resolve("summary.json"), "{}"); // a stray file at the top is not a run

        List<String> names = RunFolder.findFinished(tmp).stream().map(RunFolder::name).toList();

        assertEquals(List.of("a-run", "b-run"), names);
        assertEquals(List.of(), RunFolder.findFinished(tmp.resolve("does-not-exist")));
    }

    @Test
    void metricsAreRewrittenWholeAndLeaveNoTemporaryFiles() throws Exception {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        EpochMetrics second = new EpochMetrics(2, 0.1, 1.2, 0.5, 1.3, 0.55, 10.0, 23.0, 5000.0);

        folder.writeMetrics(List.of(MetricsCsvTest.NORMAL));
        folder.writeMetrics(List.of(MetricsCsvTest.NORMAL, second));

        assertEquals(List.of(MetricsCsvTest.NORMAL, second), folder.readMetrics());
        assertEquals(3, Files.readAllLines(folder.metricsFile()).size(), "header plus two rows, nothing appended twice");
        try (Stream<Path> files = Files.list(folder.dir())) {
            assertEquals(List.of("metrics.csv"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void missingMetricsReadAsNoEpochs() {
        assertEquals(List.of(), RunFolder.at(tmp.resolve("run")).readMetrics());
    }

    @Test
    void aCorruptSummaryGivesOneLineNamingTheFile() throws Exception {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        folder.writeSummary(completed("run"));
        String json = Files.readString(folder.summaryFile());
        Files.writeString(folder.summaryFile(), json.substring(0, json.length() / 2)); // cut short mid-write

        ResultsException e = assertThrows(ResultsException.class, folder::readSummary);

        assertTrue(e.getMessage().startsWith("corrupt run summary " + folder.summaryFile()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(folder.isFinished(), "a corrupt summary still marks the run finished; reading it is what fails");
    }

    @Test
    void aSummaryMissingAFieldIsCorruptNotZero() throws Exception {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        folder.writeSummary(completed("run"));
        String json = Files.readString(folder.summaryFile()).replaceAll("\\s*\"batch_size\" : 128,", "");
        Files.writeString(folder.summaryFile(), json);

        ResultsException e = assertThrows(ResultsException.class, folder::readSummary);

        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aDivergedSummaryWithoutItsEpochIsCorrupt() throws Exception {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        folder.writeSummary(diverged("run"));
        String json = Files.readString(folder.summaryFile()).replace("\"diverged_epoch\" : 1", "\"diverged_epoch\" : null");
        Files.writeString(folder.summaryFile(), json);

        ResultsException e = assertThrows(ResultsException.class, folder::readSummary);

        assertTrue(e.getMessage().contains("diverged_epoch"), e.getMessage());
    }

    @Test
    void configAndEnvironmentAreWrittenAsGivenAndMustBeJsonObjects() throws Exception {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));

        folder.writeConfig("{\"model\": \"resnet20\"}");
        folder.writeEnvironment("{\"backend\": \"nd4j-native\"}\n");

        assertEquals("{\"model\": \"resnet20\"}\n", Files.readString(folder.configFile()));
        assertEquals("{\"backend\": \"nd4j-native\"}\n", Files.readString(folder.environmentFile()));
        assertThrows(IllegalArgumentException.class, () -> folder.writeConfig("{\"model\": "));
        assertThrows(IllegalArgumentException.class, () -> folder.writeEnvironment("[1, 2]"));
        assertEquals(tmp.resolve("run").resolve("checkpoint.zip"), folder.checkpointFile());
    }
}
