package org.bnlab.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.bnlab.io.AtomicFiles;
import org.bnlab.results.ResultsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code bnlab submit} of an experiment, as recorded in {@code <results>/slurm/submissions.jsonl} (one JSON
 * object per line, oldest first), so that what was submitted when, and under which job ids, can be read from the
 * results folder alone: {@code bnlab status} names the last submission's log files, and a user can match a log
 * file to its run.
 *
 * @param time        when it was submitted (ISO-8601, UTC)
 * @param experiment  the experiment's name
 * @param plan        the plan's fingerprint, which every task checks ({@code bnlab run --expect-plan})
 * @param arrayJob    the array's Slurm job id
 * @param reportJob   the report job's id; null only in records of earlier versions, which kept a submission whose
 *                    report job sbatch refused (now such a submission is withdrawn whole)
 * @param indices     the array's task indices: the runs unfinished at submission, in plan order
 * @param runIds      the run ids at those indices, in the same order
 * @param taskCommand the command each task runs, {@link SbatchScript#TASK_ID} standing for its index
 * @param arrayOffset the plan index of the array's task 0 (not 0 only when every index it holds is at or above the
 *                    cluster's {@code MaxArraySize})
 * @param laterArrays the arrays of runs that start from a run of an earlier array ({@code model.init_from}), and of
 *                    plan indices beyond the cluster's {@code MaxArraySize}, in
 *                    submission order; their indices are among {@code indices}, not in {@code arrayJob}
 */
public record Submission(String time, String experiment, String plan, String arrayJob, String reportJob,
                         List<Integer> indices, List<String> runIds, List<String> taskCommand,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                         List<LaterArray> laterArrays,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
                         int arrayOffset) {

    /**
     * A later array.
     *
     * @param job     its Slurm job id
     * @param indices the plan indices of its runs
     * @param offset  the plan index of its task 0: task {@code i} runs index {@code offset + i}
     */
    public record LaterArray(String job, List<Integer> indices,
                             @com.fasterxml.jackson.annotation.JsonInclude(
                                     com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT) int offset) {
        public LaterArray {
            indices = List.copyOf(indices);
        }

        /** A later array whose task i runs index i. */
        public LaterArray(String job, List<Integer> indices) {
            this(job, indices, 0);
        }
    }

    /** A submission of one array. */
    public Submission(String time, String experiment, String plan, String arrayJob, String reportJob,
                      List<Integer> indices, List<String> runIds, List<String> taskCommand) {
        this(time, experiment, plan, arrayJob, reportJob, indices, runIds, taskCommand, List.of());
    }

    /** A submission whose first array's task i runs index i. */
    public Submission(String time, String experiment, String plan, String arrayJob, String reportJob,
                      List<Integer> indices, List<String> runIds, List<String> taskCommand,
                      List<LaterArray> laterArrays) {
        this(time, experiment, plan, arrayJob, reportJob, indices, runIds, taskCommand, laterArrays, 0);
    }

    /** The job id of the array that holds task {@code index}. */
    public String arrayJobOf(int index) {
        return laterArrays.stream().filter(a -> a.indices().contains(index)).map(LaterArray::job).findFirst()
                .orElse(arrayJob);
    }

    /** The array task that runs plan index {@code index}: its index within the array that holds it. */
    public int taskOf(int index) {
        return index - laterArrays.stream().filter(a -> a.indices().contains(index)).mapToInt(LaterArray::offset)
                .findFirst().orElse(arrayOffset);
    }

    /** The file, in the results folder's {@link SbatchScript#LOGS_FOLDER}. */
    public static final String FILE = "submissions.jsonl";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // later versions may add fields
            .build();

    public Submission {
        indices = List.copyOf(indices);
        runIds = List.copyOf(runIds);
        taskCommand = List.copyOf(taskCommand);
        laterArrays = laterArrays == null ? List.of() : List.copyOf(laterArrays); // older lines have none
    }

    /** {@code <resultsFolder>/slurm/submissions.jsonl}. */
    public static Path file(Path resultsFolder) {
        return resultsFolder.resolve(SbatchScript.LOGS_FOLDER).resolve(FILE);
    }

    /** The log file of array task {@code index} (the default {@code --output} pattern {@code %A_%a.out}). */
    public Path taskLog(Path resultsFolder, int index) {
        return resultsFolder.resolve(SbatchScript.LOGS_FOLDER).resolve(arrayJobOf(index) + "_" + taskOf(index) + ".out");
    }

    /**
     * Adds this submission as the last line. The whole file is rewritten atomically (a temporary file renamed over
     * it) rather than appended to: appends from two hosts to one file on NFS can interleave or lose data, a rename
     * cannot leave half a line.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written
     * @throws ResultsException             if the existing file cannot be read
     */
    public void appendTo(Path resultsFolder) {
        Path file = file(resultsFolder);
        StringBuilder text = new StringBuilder();
        try {
            if (Files.exists(file)) {
                text.append(Files.readString(file));
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
            }
            text.append(JSON.writeValueAsString(this)).append('\n');
        } catch (IOException e) {
            throw new ResultsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /**
     * Every recorded submission of a results folder, oldest first; none when it has no file.
     *
     * @throws ResultsException naming the file and line when a line is not a submission
     */
    public static List<Submission> readAll(Path resultsFolder) {
        Path file = file(resultsFolder);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Submission> submissions = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    submissions.add(JSON.readValue(lines.get(i), Submission.class));
                } catch (JsonProcessingException e) {
                    throw new ResultsException(file + ", line " + (i + 1) + ": not a submission record: "
                            + e.getOriginalMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new ResultsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return submissions;
    }

    /** The last recorded submission of a results folder, if there is one. */
    public static Optional<Submission> last(Path resultsFolder) {
        List<Submission> all = readAll(resultsFolder);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
}
