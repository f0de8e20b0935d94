package org.bnlab.cli;

import org.bnlab.experiment.ExperimentRecord;
import org.bnlab.experiment.RunState;
import org.bnlab.results.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Where an experiment stands, from its results folder alone (works on a cluster's login node, without Slurm). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each run of a results folder as completed, diverged, running (lock held), failed, started or pending, from the files alone.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the results folder, e.g. results/bn-vs-nobn")
    Path folder;

    @Override
    public Integer call() {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no results folder " + folder);
        }
        PrintStream out = System.out;
        List<String> ids = new ArrayList<>();
        ExperimentRecord.read(folder).ifPresentOrElse(
                record -> record.runs().forEach(r -> ids.add(r.id())),
                () -> ids.addAll(subfolders(folder)));
        Map<RunState.Kind, Integer> counts = new EnumMap<>(RunState.Kind.class);
        out.printf("%5s  %-60s  %6s  %s%n", "index", "run", "epochs", "state");
        for (int i = 0; i < ids.size(); i++) {
            RunState state = RunState.of(RunFolder.at(folder.resolve(ids.get(i))));
            counts.merge(state.kind(), 1, Integer::sum);
            out.printf("%5d  %-60s  %6d  %s%n", i, ids.get(i), state.epochs(), state);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> parts.add(n + " " + kind.name().toLowerCase(java.util.Locale.ROOT)));
        out.println(ids.size() + " runs: " + String.join(", ", parts));
        return 0;
    }

    private static List<String> subfolders(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
