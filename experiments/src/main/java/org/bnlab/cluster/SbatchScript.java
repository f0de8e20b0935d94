package org.bnlab.cluster;

import org.bnlab.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The text of a bash batch script for {@code sbatch}: a job array that runs one command per index, or a single job
 * (the report after an array). Paths are made absolute, because a job starts in the folder it was submitted from,
 * which need not be the caller's.
 *
 * <p>An array script looks like:
 * <pre>
 * #!/bin/bash
 * #SBATCH --time=01:00:00
 * #SBATCH --array=0-3,7%2
 * #SBATCH --output=/abs/results/slurm/%A_%a.out
 * set -euo pipefail
 * cd /abs/work
 * exec scripts/bnlab run grid.yaml --index "$SLURM_ARRAY_TASK_ID"
 * </pre>
 * Its log files go to {@code slurm/} in the results folder ({@code %A_%a.out}: array job id and task index;
 * {@code %j.out} for a single job); {@link #write} creates that folder, since Slurm fails a job whose output folder
 * is missing (state FAILED, reason JobLaunchFailure) without writing a line anywhere the user would look.
 */
public final class SbatchScript {

    /** Stands in a command argument for the array task's index ({@code $SLURM_ARRAY_TASK_ID} in the job). */
    public static final String TASK_ID = "{task}";

    /** The folder inside the results folder that holds the jobs' log files. */
    public static final String LOGS_FOLDER = "slurm";

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final Path logsFolder;

    private SbatchScript(String text, Path logsFolder) {
        this.text = text;
        this.logsFolder = logsFolder;
    }

    /**
     * A job array with one task per index.
     *
     * @param options          what the job asks for; its {@code arrayThrottle} becomes the {@code %K} of
     *                         {@code --array}
     * @param indices          the task indices, each at least 0, at least one; order and repeats do not matter
     * @param resultsFolder    where {@code slurm/} with the log files goes; no backslash (Slurm reads one in an
     *                         output file name as "no % patterns")
     * @param workingDirectory the folder the command runs in
     * @param command          the command and its arguments, each quoted for bash; {@link #TASK_ID} anywhere in an
     *                         argument becomes the task's index
     * @throws IllegalArgumentException for no indices, a negative one, an empty command, or a path Slurm cannot use
     */
    public static SbatchScript array(SbatchOptions options, Collection<Integer> indices, Path resultsFolder,
                                     Path workingDirectory, List<String> command) {
        return array(options, indices, resultsFolder, workingDirectory, Map.of(), command);
    }

    /**
     * A job array whose command runs with environment variables set ({@code export NAME=VALUE} lines before it),
     * otherwise as {@link #array(SbatchOptions, Collection, Path, Path, List)}.
     *
     * @param environment variable name -> value, in the order to write them; names as bash takes them
     *                    ({@code [A-Za-z_][A-Za-z0-9_]*})
     * @throws IllegalArgumentException also for a name bash would not take
     */
    public static SbatchScript array(SbatchOptions options, Collection<Integer> indices, Path resultsFolder,
                                     Path workingDirectory, Map<String, String> environment, List<String> command) {
        return array(options, indices, 0, resultsFolder, workingDirectory, environment, command);
    }

    /**
     * A job array whose tasks stand for {@code indices}, numbered from {@code offset}: task {@code i} runs the
     * command for index {@code offset + i} ({@link #TASK_ID} becomes {@code $((SLURM_ARRAY_TASK_ID + offset))}), so
     * that indices at or above the cluster's {@code MaxArraySize} can be submitted. Otherwise as
     * {@link #array(SbatchOptions, Collection, Path, Path, Map, List)}.
     *
     * @throws IllegalArgumentException also for an index below {@code offset}
     */
    public static SbatchScript array(SbatchOptions options, Collection<Integer> indices, int offset,
                                     Path resultsFolder, Path workingDirectory, Map<String, String> environment,
                                     List<String> command) {
        List<Integer> tasks = new ArrayList<>();
        for (int index : indices) {
            if (index < offset) {
                throw new IllegalArgumentException("index " + index + " is below the array's offset " + offset);
            }
            tasks.add(index - offset);
        }
        String array = indexList(tasks);
        if (options.arrayThrottle() != null) {
            array += "%" + options.arrayThrottle();
        }
        return render(options, "#SBATCH --array=" + array, resultsFolder, "%A_%a.out", workingDirectory,
                environment, command, offset);
    }

    /**
     * A single job, such as the report that runs after an array ({@link Slurm#submitAfterAny}). The options'
     * {@code arrayThrottle} is ignored.
     *
     * @throws IllegalArgumentException if the command holds {@link #TASK_ID} (a single job has no task index), is
     *                                  empty, or a path Slurm cannot use
     */
    public static SbatchScript single(SbatchOptions options, Path resultsFolder, Path workingDirectory,
                                      List<String> command) {
        return single(options, resultsFolder, workingDirectory, Map.of(), command);
    }

    /**
     * A single job whose command runs with environment variables set, otherwise as
     * {@link #single(SbatchOptions, Path, Path, List)}.
     *
     * @throws IllegalArgumentException also for a variable name bash would not take
     */
    public static SbatchScript single(SbatchOptions options, Path resultsFolder, Path workingDirectory,
                                      Map<String, String> environment, List<String> command) {
        for (String word : command) {
            if (word.contains(TASK_ID)) {
                throw new IllegalArgumentException("a single job has no array task index, but its command holds "
                        + TASK_ID + ": " + ShellQuote.join(command));
            }
        }
        return render(options, null, resultsFolder, "%j.out", workingDirectory, environment, command, 0);
    }

    /**
     * The indices as Slurm's {@code --array} list, ascending, with runs of two or more consecutive indices as ranges:
     * {@code [9, 0, 1, 2, 3, 7, 10]} gives {@code 0-3,7,9-10}.
     *
     * @throws IllegalArgumentException for no indices or a negative one
     */
    public static String indexList(Collection<Integer> indices) {
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("a job array needs at least one index");
        }
        SortedSet<Integer> sorted = new TreeSet<>(indices);
        if (sorted.first() < 0) {
            throw new IllegalArgumentException("array indices must be >= 0, got " + sorted.first());
        }
        StringBuilder out = new StringBuilder();
        Integer start = null;
        int previous = -2;
        for (int index : sorted) {
            if (index != previous + 1) {
                appendRun(out, start, previous);
                start = index;
            }
            previous = index;
        }
        appendRun(out, start, previous);
        return out.toString();
    }

    private static void appendRun(StringBuilder out, Integer start, int end) {
        if (start == null) {
            return;
        }
        if (out.length() > 0) {
            out.append(',');
        }
        out.append(start);
        if (end > start) {
            out.append('-').append(end);
        }
    }

    private static SbatchScript render(SbatchOptions options, String arrayLine, Path resultsFolder,
                                       String logName, Path workingDirectory, Map<String, String> environment,
                                       List<String> command, int offset) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the job's command is empty");
        }
        Path logs = resultsFolder.toAbsolutePath().normalize().resolve(LOGS_FOLDER);
        String output = options.output() != null ? options.output() : slurmFileName(logs) + "/" + logName;
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add(arrayLine != null ? "# Written by bnlab: one task per array index." : "# Written by bnlab.");
        lines.addAll(options.directives());
        if (arrayLine != null) {
            lines.add(arrayLine);
        }
        lines.add("#SBATCH --output=" + ShellQuote.sbatchValue(output));
        lines.add("set -euo pipefail");
        lines.add("cd " + ShellQuote.quote(workingDirectory.toAbsolutePath().normalize().toString()));
        environment.forEach((name, value) -> {
            if (!ENVIRONMENT_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an environment variable name bash takes: '"
                        + ShellQuote.visible(name) + "'");
            }
            lines.add("export " + name + "=" + ShellQuote.quote(value));
        });
        // exec: the command gets the job's signals (time limit, scancel) itself, and its exit status is the task's.
        lines.add("exec " + commandLine(command, offset));
        return new SbatchScript(String.join("\n", lines) + "\n", logs);
    }

    /**
     * The command quoted for bash, with each {@link #TASK_ID} outside the quotes as the task's index plus
     * {@code offset}.
     */
    private static String commandLine(List<String> command, int offset) {
        String index = offset == 0 ? "\"$SLURM_ARRAY_TASK_ID\"" : "\"$((SLURM_ARRAY_TASK_ID + " + offset + "))\"";
        List<String> words = new ArrayList<>();
        for (String word : command) {
            if (!word.contains(TASK_ID)) {
                words.add(ShellQuote.quote(word));
                continue;
            }
            StringBuilder out = new StringBuilder();
            String[] pieces = word.split(Pattern.quote(TASK_ID), -1);
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0) {
                    out.append(index);
                }
                if (!pieces[i].isEmpty()) {
                    out.append(ShellQuote.quote(pieces[i]));
                }
            }
            words.add(out.toString());
        }
        return String.join(" ", words);
    }

    /** A folder as part of an output file name pattern: {@code %} doubled so Slurm reads it as itself. */
    private static String slurmFileName(Path folder) {
        String text = folder.toString();
        if (text.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("Slurm cannot write log files under a path with a backslash "
                    + "(it reads one as \"no % patterns\"): " + text);
        }
        return text.replace("%", "%%");
    }

    /** The script, lines ending in {@code \n}. */
    public String text() {
        return text;
    }

    /** {@code slurm/} in the results folder, absolute: where the default {@code --output} puts the job logs. */
    public Path logsFolder() {
        return logsFolder;
    }

    /**
     * Writes the script to {@code file} (made executable, for reading and running by hand) and creates
     * {@link #logsFolder()}. With an {@code output} option of their own, callers create that folder themselves.
     *
     * @return {@code file}
     * @throws IOException if either cannot be written
     */
    public Path write(Path file) throws IOException {
        Files.createDirectories(logsFolder);
        try {
            // Atomic (a temporary file renamed over the target): on a shared results folder a user or a job may
            // read the script while a resubmission rewrites it.
            AtomicFiles.writeString(file, text);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        file.toFile().setExecutable(true, false);
        return file;
    }

    @Override
    public String toString() {
        return text;
    }
}
