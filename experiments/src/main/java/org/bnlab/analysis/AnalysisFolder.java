package org.bnlab.analysis;

import org.bnlab.io.AtomicFiles;
import org.bnlab.results.ResultsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A run's {@code analysis/} folder. Every file is written atomically; a mode's marker ({@code done-<mode>.txt},
 * holding the settings it was computed with) is written last, so a mode whose marker is there with equal settings is
 * finished and an interrupted analysis redoes only the modes without one.
 *
 * <ul>
 *   <li>{@code rows-<mode>.csv}: {@link AnalysisRow}s;</li>
 *   <li>{@code per-class-<mode>.csv}: {@code class,name,images,accuracy_pct} (running and precise);</li>
 *   <li>{@code reliability-<mode>.csv}: {@code bin,confidence_low,confidence_high,images,accuracy_pct,
 *       mean_confidence_pct} (running and precise), and its diagram {@code reliability-<mode>.png};</li>
 *   <li>{@code probabilities-running.csv}: {@code label,p0..p(K-1)} per test image in the test set's order, for the
 *       pair comparisons;</li>
 *   <li>{@code done-<mode>.txt}: the settings the mode was computed with.</li>
 * </ul>
 */
public final class AnalysisFolder {

    public static final String NAME = "analysis";

    private final Path dir;

    private AnalysisFolder(Path dir) {
        this.dir = dir;
    }

    /** The analysis folder of the run folder {@code runDir}. */
    public static AnalysisFolder of(Path runDir) {
        return new AnalysisFolder(runDir.resolve(NAME));
    }

    public Path dir() {
        return dir;
    }

    public Path rowsFile(String mode) {
        return dir.resolve("rows-" + mode + ".csv");
    }

    public Path reliabilityPng(String mode) {
        return dir.resolve("reliability-" + mode + ".png");
    }

    public Path probabilitiesFile() {
        return dir.resolve("probabilities-running.csv");
    }

    private Path marker(String mode) {
        return dir.resolve("done-" + mode + ".txt");
    }

    /** Whether {@code mode} was computed with exactly {@code settings}. */
    public boolean isDone(String mode, String settings) {
        try {
            return Files.isRegularFile(marker(mode)) && Files.readString(marker(mode)).equals(settings + "\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** Records that {@code mode} is finished with {@code settings}; call after its files are written. */
    public void markDone(String mode, String settings) {
        AtomicFiles.writeString(marker(mode), settings + "\n");
    }

    /** Removes the marker of {@code mode} before it is computed again with other settings. */
    public void clear(String mode) {
        try {
            Files.deleteIfExists(marker(mode));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove " + marker(mode) + ": " + e.getMessage(), e);
        }
    }

    public void writeRows(String mode, List<AnalysisRow> rows) {
        createDir();
        StringBuilder csv = new StringBuilder(AnalysisRow.HEADER).append('\n');
        rows.forEach(r -> csv.append(r.csv()).append('\n'));
        AtomicFiles.writeString(rowsFile(mode), csv.toString());
    }

    /** The rows of every finished mode, in the order of {@code modes}; modes without a marker are left out. */
    public List<AnalysisRow> readRows(List<String> modes) {
        List<AnalysisRow> rows = new ArrayList<>();
        for (String mode : modes) {
            Path file = rowsFile(mode);
            if (!Files.isRegularFile(marker(mode)) || !Files.isRegularFile(file)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    if (!line.isBlank()) {
                        rows.add(AnalysisRow.parse(line));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new ResultsException("corrupt analysis file " + file + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    public void writePerClass(String mode, ModelMetrics m, List<String> classNames) {
        createDir();
        StringBuilder csv = new StringBuilder("class,name,images,accuracy_pct\n");
        for (int c = 0; c < m.perClassAccuracy().length; c++) {
            csv.append(c).append(',').append(classNames.get(c).replace(',', ' ')).append(',')
                    .append(m.perClassCount()[c]).append(',').append(AnalysisRow.number(100 * m.perClassAccuracy()[c]))
                    .append('\n');
        }
        AtomicFiles.writeString(dir.resolve("per-class-" + mode + ".csv"), csv.toString());
    }

    public void writeReliability(String mode, ModelMetrics m) {
        createDir();
        int bins = m.binCount().length;
        StringBuilder csv = new StringBuilder("bin,confidence_low,confidence_high,images,accuracy_pct,"
                + "mean_confidence_pct\n");
        for (int b = 0; b < bins; b++) {
            csv.append(b).append(',').append(String.format(Locale.ROOT, "%.6f,%.6f", (double) b / bins,
                            (double) (b + 1) / bins)).append(',').append(m.binCount()[b]).append(',')
                    .append(AnalysisRow.number(100 * m.binAccuracy()[b])).append(',')
                    .append(AnalysisRow.number(100 * m.binConfidence()[b])).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("reliability-" + mode + ".csv"), csv.toString());
    }

    public void writeProbabilities(ModelOutputs outputs) {
        createDir();
        StringBuilder csv = new StringBuilder("label");
        for (int c = 0; c < outputs.numClasses(); c++) {
            csv.append(",p").append(c);
        }
        csv.append('\n');
        for (int i = 0; i < outputs.size(); i++) {
            csv.append(outputs.labels()[i]);
            for (float p : outputs.probabilities()[i]) {
                csv.append(',').append(p);
            }
            csv.append('\n');
        }
        AtomicFiles.writeString(probabilitiesFile(), csv.toString());
    }

    /** The running-mode test probabilities, when that mode is finished. */
    public Optional<ModelOutputs> readProbabilities() {
        Path file = probabilitiesFile();
        if (!Files.isRegularFile(file) || !Files.isRegularFile(marker("running"))) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            int n = lines.size() - 1;
            float[][] p = new float[n][];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                String[] f = lines.get(i + 1).split(",");
                labels[i] = Integer.parseInt(f[0]);
                p[i] = new float[f.length - 1];
                for (int c = 1; c < f.length; c++) {
                    p[i][c - 1] = Float.parseFloat(f[c]);
                }
            }
            return Optional.of(new ModelOutputs(p, labels));
        } catch (IOException | RuntimeException e) {
            throw new ResultsException("corrupt analysis file " + file + ": " + e.getMessage(), e);
        }
    }

    private void createDir() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
