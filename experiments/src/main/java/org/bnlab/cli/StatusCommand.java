package org.bnlab.cli;

import org.bnlab.results.RunStatus;
import org.bnlab.cluster.SbatchScript;
import org.bnlab.cluster.Submission;
import org.bnlab.experiment.ExperimentRecord;
import org.bnlab.experiment.RunState;
import org.bnlab.results.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where an experiment stands, from its results folder alone (works on a cluster's login node, without Slurm): each
 * run's state, the counts, and for a folder filled by {@code bnlab submit} the last submission with the error line
 * of each task log whose run is still unfinished (a task that failed before its run folder existed, such as one
 * whose data is missing, shows only there).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show each run of a results folder as completed, diverged, running (lock held), failed, "
                + "started or pending, from the files alone.",
                "After bnlab submit also the last submission, and the last error line of each unfinished run's task log."})
final class StatusCommand implements Callable<Integer> {

    /** How much of the end of a task log is read for its last error line. */
    private static final int LOG_TAIL_BYTES = 8192;
    /** Lines that say why a task ended early: bnlab's own errors, Slurm's cancellations and kills. */
    private static final Pattern ERROR_LINE = Pattern.compile("(?i).*(error|cancelled|killed|oom|exception).*");

    @Parameters(index = "0", description = "the results folder, e.g. results/bn-vs-nobn")
    Path folder;

    /** A run to show: from experiment.json when there is one, else a subfolder. */
    private record Entry(int index, String id, RunState state) {
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no results folder " + folder);
        }
        PrintStream out = System.out;
        List<Entry> runs = new ArrayList<>();
        ExperimentRecord.read(folder).ifPresentOrElse(
                record -> record.runs().forEach(r -> runs.add(new Entry(r.index(), r.id(), RunState.of(folder, r)))),
                () -> subfolders(folder).forEach(id -> runs.add(new Entry(runs.size(), id,
                        RunState.of(RunFolder.at(folder.resolve(id)))))));
        Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
        Map<Integer, RunState> states = new java.util.HashMap<>();
        int width = runs.stream().mapToInt(r -> r.id().length()).max().orElse(3);
        String row = "%5s  %-" + width + "s  %6s  %s%n";
        out.printf(row, "index", "run", "epochs", "state");
        for (Entry run : runs) {
            RunState state = run.state();
            states.put(run.index(), state);
            counts.merge(state.status(), 1, Integer::sum);
            out.printf(row, run.index(), run.id(), state.epochs(), state);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> parts.add(n + " " + kind.name().toLowerCase(Locale.ROOT)));
        out.println(runs.size() + " runs: " + String.join(", ", parts));
        Submission.last(folder).ifPresent(last -> printSubmission(out, last, states));
        return 0;
    }

    /** The last submission, then each of its unfinished, not running tasks whose log ends with an error line. */
    private void printSubmission(PrintStream out, Submission last, Map<Integer, RunState> states) {
        out.printf("last submission %s: array job %s (indices %s), report job %s; logs: %s%n", last.time(),
                last.arrayJob(), SbatchScript.indexList(last.indices()),
                last.reportJob() == null ? "not submitted" : last.reportJob(),
                folder.resolve(SbatchScript.LOGS_FOLDER).resolve(last.arrayJob() + "_<index>.out"));
        for (Submission.LaterArray later : last.laterArrays()) {
            // an offset only for indices beyond the cluster's MaxArraySize; otherwise the runs start from others
            out.printf(later.offset() > 0 ? "  of which indices %s are in array job %s, its task i running index %d + i%n"
                    : "  of which indices %s are in array job %s, after the tasks of the runs they start from%n",
                    SbatchScript.indexList(later.indices()), later.job(), later.offset());
        }
        for (int index : last.indices()) {
            RunState state = states.get(index);
            if (state != null && (state.isFinished() || state.status() == RunStatus.RUNNING)) {
                continue;
            }
            Path log = last.taskLog(folder, index);
            lastErrorLine(log).ifPresent(line -> out.printf("  task %d: %s (%s)%n", index, line,
                    folder.relativize(log)));
        }
    }

    /** The last line of the end of {@code log} that looks like an error, if the log exists and has one. */
    static Optional<String> lastErrorLine(Path log) {
        if (!Files.isRegularFile(log)) {
            return Optional.empty();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
            byte[] tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty()).toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (ERROR_LINE.matcher(lines.get(i)).matches()) {
                    return Optional.of(lines.get(i));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("(log unreadable: " + e.getMessage() + ")");
        }
    }

    private static List<String> subfolders(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals(SbatchScript.LOGS_FOLDER)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
