package org.bnlab.cli;

import org.bnlab.experiment.Experiment;
import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** The ready experiments and the questions they answer. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the ready experiments in experiments/ with their questions and sizes.")
final class ListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Path folder = ExperimentOptions.experimentsFolder();
        List<Path> files;
        try (Stream<Path> entries = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            files = entries.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            out.println("no experiment files in " + folder);
            return 0;
        }
        for (Path file : files) {
            try {
                Experiment experiment = ExperimentFiles.load(file);
                int runs = ExperimentPlan.expand(experiment).runs().size();
                out.printf("%-24s %3d runs  %s%n", experiment.name(), runs, experiment.question());
                if (!experiment.source().isEmpty()) {
                    String source = experiment.source();
                    out.printf("%-24s           source: %s%n", "", source.length() <= 100 ? source
                            : source.substring(0, 97) + "...");
                }
            } catch (IllegalArgumentException e) {
                out.printf("%-24s invalid: %s%n", file.getFileName(), e.getMessage());
            }
        }
        out.println("run one with: scripts/bnlab run NAME   (scripts/bnlab plan NAME shows its runs first)");
        return 0;
    }
}
