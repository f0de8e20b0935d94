package org.bnlab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.bnlab.io.AtomicFiles;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunFolders;
import org.bnlab.spec.ConfigJson;
import org.bnlab.results.ResultsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an experiment's results folder needs to be reported and watched without the experiment file:
 * {@code experiment.json}, written (atomically) before the first run starts. Also the {@code run.json} of each run
 * ({@link Run}): which experiment it belongs to and its values of what varies.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION} for files written by this version
 * @param name          the experiment's name
 * @param question      the question it answers
 * @param source        paper, section or table it follows
 * @param varying       dotted paths that vary across runs, in axis order, {@code seed} last
 * @param shortNames    path -> column name in tables
 * @param contrasts     what the report compares
 * @param references    published values
 * @param runs          every run of the plan, in order
 * @param overrides     the command-line changes ({@code --set}, {@code --grid}) the plan was expanded with
 * @param zipped        the paths of each zip axis (settings that move together), for the contrasts
 */
public record ExperimentRecord(int schemaVersion, String name, String question, String source, List<String> varying,
                               Map<String, String> shortNames, List<Contrast> contrasts, List<Reference> references,
                               List<Run> runs, List<String> overrides, List<List<String>> zipped) {

    public ExperimentRecord {
        overrides = overrides == null ? List.of() : List.copyOf(overrides); // absent in files of earlier versions
        zipped = zipped == null ? List.of() : zipped.stream().map(List::copyOf).toList();
    }

    public static final int SCHEMA_VERSION = org.bnlab.spec.ConfigJson.SCHEMA_VERSION;
    public static final String FILE = "experiment.json";
    public static final String RUN_FILE = "run.json";

    /**
     * One run's entry, also its {@code run.json}.
     *
     * @param index       position in the plan (Slurm array index)
     * @param id          the folder name
     * @param hash        the specification's hash
     * @param assignments varying path -> value
     * @param initFrom    the run whose trained network it starts from ({@code model.init_from}), or null
     */
    public record Run(int schemaVersion, String experiment, int index, String id, String hash,
                      Map<String, String> assignments,
                      @com.fasterxml.jackson.annotation.JsonInclude(
                              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) PlannedRun.Source initFrom) {

        public Run(int schemaVersion, String experiment, int index, String id, String hash,
                   Map<String, String> assignments) {
            this(schemaVersion, experiment, index, id, hash, assignments, null);
        }
    }

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // later versions may add fields
            .build();

    public static ExperimentRecord of(ExperimentPlan plan) {
        Experiment e = plan.experiment();
        return new ExperimentRecord(SCHEMA_VERSION, e.name(), e.question(), e.source(), plan.varying(),
                plan.shortNames(), e.contrasts(), e.references(),
                plan.runs().stream().map(r -> runOf(e.name(), r)).toList(), plan.overrides(),
                ContrastCheck.zipped(e));
    }

    static Run runOf(String experiment, PlannedRun run) {
        return new Run(SCHEMA_VERSION, experiment, run.index(), run.id(), run.hash(), run.assignments(),
                run.source());
    }

    public void writeTo(Path dir) {
        AtomicFiles.writeString(dir.resolve(FILE), json(this));
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * The run folders under {@code outDir}, told apart by their {@code config.json} (the specification's hash, combined
     * with the source's as {@link ExperimentPlan} combines them) and their {@code run.json} (the source folder).
     */
    public static RunFolders folders(Path outDir) {
        return new RunFolders(outDir, new RunFolders.Records() {
            @Override
            public String hash(RunFolder folder, String sourceHash) {
                String own = ConfigJson.hash(folder.configFile());
                return sourceHash == null ? own : ExperimentPlan.combinedHash(own, sourceHash);
            }

            @Override
            public String sourceFolder(RunFolder folder) {
                return readRun(folder.dir()).map(Run::initFrom).map(PlannedRun.Source::id).orElse(null);
            }
        });
    }

    /** The folder of {@code run} under {@code outDir} ({@link RunFolders#find}). */
    public static RunFolder folderOf(Path outDir, PlannedRun run) {
        PlannedRun.Source s = run.source();
        return folders(outDir).find(run.id(), run.hash(), s == null ? null : s.id(), s == null ? null : s.hash());
    }

    /** The folder of a recorded run under {@code outDir} ({@link RunFolders#find}). */
    public static RunFolder folderOf(Path outDir, Run run) {
        PlannedRun.Source s = run.initFrom();
        return folders(outDir).find(run.id(), run.hash(), s == null ? null : s.id(), s == null ? null : s.hash());
    }

    /** The record of a results folder, if it has one. */
    public static Optional<ExperimentRecord> read(Path dir) {
        return read(dir.resolve(FILE), ExperimentRecord.class);
    }

    /** The {@code run.json} of a run folder, if it has one. */
    public static Optional<Run> readRun(Path runDir) {
        return read(runDir.resolve(RUN_FILE), Run.class);
    }

    private static <T> Optional<T> read(Path file, Class<T> type) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(Files.readString(file), type));
        } catch (IOException e) {
            throw new ResultsException("corrupt " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
