package org.bnlab.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.bnlab.io.AtomicFiles;

/**
 * The folder of one run, {@code results/<comparison>/<run-id>/}, and the files in it:
 * <ul>
 *   <li>{@code config.json}: the fully resolved run configuration;</li>
 *   <li>{@code environment.json}: backend, helpers, versions, git commit;</li>
 *   <li>{@code data-problems.txt}: the bad image files left out of the data, only when some were
 *       ({@link org.bnlab.data.DataProblems});</li>
 *   <li>{@code metrics.csv}: one row per finished epoch ({@link MetricsCsv});</li>
 *   <li>one record file per measurement the run records ({@link RecordFile}, e.g. {@code activations.csv},
 *       {@code probe.csv}; see {@code org.bnlab.measure.Measurements});</li>
 *   <li>{@code checkpoint.zip}: the latest checkpoint, for resuming (written by the trainer);</li>
 *   <li>{@code summary.json}: written last, only once the run has completed or diverged.</li>
 * </ul>
 * The presence of {@code summary.json} is what marks a run as finished: a rerun of the grid skips
 * finished runs and resumes the others from their checkpoint. Every file is written atomically,
 * so a crash at any moment leaves each file either old or new, never half written.
 */
public final class RunFolder {

    static final String CONFIG = "config.json";
    static final String ENVIRONMENT = "environment.json";
    static final String METRICS = "metrics.csv";
    static final String SUMMARY = "summary.json";
    static final String CHECKPOINT = "checkpoint.zip";
    static final String FAILED = "failed.txt";

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** The run folder at {@code dir}; nothing is created or read until a method needs it. */
    public static RunFolder at(Path dir) {
        return new RunFolder(dir);
    }

    /**
     * The finished runs directly under {@code comparisonDir} (sub-folders holding a {@code summary.json}),
     * sorted by folder name so that reports list runs in a stable order. A missing folder has none.
     */
    public static List<RunFolder> findFinished(Path comparisonDir) {
        if (!Files.isDirectory(comparisonDir)) {
            return List.of();
        }
        List<RunFolder> finished = new ArrayList<>();
        try (Stream<Path> children = Files.list(comparisonDir)) {
            children.filter(Files::isDirectory)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(RunFolder::at)
                    .filter(RunFolder::isFinished)
                    .forEach(finished::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list run folders in " + comparisonDir + ": " + e.getMessage(), e);
        }
        return List.copyOf(finished);
    }

    public Path dir() {
        return dir;
    }

    /** The folder name, which is the run id. */
    public String name() {
        return dir.getFileName().toString();
    }

    public Path configFile() {
        return dir.resolve(CONFIG);
    }

    public Path environmentFile() {
        return dir.resolve(ENVIRONMENT);
    }

    public Path metricsFile() {
        return dir.resolve(METRICS);
    }

    public Path summaryFile() {
        return dir.resolve(SUMMARY);
    }

    public Path checkpointFile() {
        return dir.resolve(CHECKPOINT);
    }

    /** {@code failed.txt}: the message of the last attempt that failed; removed when the run starts again. */
    public Path failureFile() {
        return dir.resolve(FAILED);
    }

    /** Whether the run has finished (completed or diverged), i.e. its summary has been written. */
    public boolean isFinished() {
        return Files.isRegularFile(summaryFile());
    }

    /**
     * Writes {@code config.json} unless it already holds exactly {@code json} (a finished run's record brought up to
     * date: where the data is now, the report-only settings as now planned), so that an unchanged file is not touched.
     */
    public void updateConfig(String json) {
        try {
            if (Files.isRegularFile(configFile()) && Files.readString(configFile()).equals(json)) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeConfig(json);
    }

    /** Writes {@code config.json}; {@code json} must be a JSON object. */
    public void writeConfig(String json) {
        writeJsonObject(configFile(), json);
    }

    /** Writes {@code environment.json}; {@code json} must be a JSON object. */
    public void writeEnvironment(String json) {
        writeJsonObject(environmentFile(), json);
    }

    private static void writeJsonObject(Path file, String json) {
        SummaryJson.requireJsonObject(json, file.getFileName().toString());
        AtomicFiles.writeString(file, json.endsWith("\n") ? json : json + "\n");
    }

    /**
     * The epochs recorded so far, in file order. No {@code metrics.csv} means no epoch has finished
     * yet (a run that diverged in its first epoch never writes one), so that reads as an empty list.
     */
    public List<EpochMetrics> readMetrics() {
        Path file = metricsFile();
        return Files.exists(file) ? MetricsCsv.read(file) : List.of();
    }

    /** Rewrites the whole of {@code metrics.csv} atomically: called after every epoch with all epochs so far. */
    public void writeMetrics(List<EpochMetrics> epochs) {
        MetricsCsv.write(metricsFile(), epochs);
    }

    /** The summary, or empty if the run has not finished; a corrupt summary throws {@link ResultsException}. */
    public Optional<RunSummary> readSummary() {
        Path file = summaryFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ResultsException("cannot read run summary " + file + ": " + e, e);
        }
        try {
            return Optional.of(SummaryJson.fromJson(json));
        } catch (JsonProcessingException e) {
            throw new ResultsException("corrupt run summary " + file + ": " + SummaryJson.oneLine(e), e);
        }
    }

    /** Writes {@code summary.json}, marking the run finished; call it only after everything else is written. */
    public void writeSummary(RunSummary summary) {
        AtomicFiles.writeString(summaryFile(), SummaryJson.toJson(summary));
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
