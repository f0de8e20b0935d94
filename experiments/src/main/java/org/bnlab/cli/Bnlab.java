package org.bnlab.cli;

import org.bnlab.backend.BackendSetup;
import org.bnlab.data.BadImageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;

/**
 * The command line: {@code bnlab compare} (the main job), {@code bnlab run | plan | list} (experiment files),
 * {@code bnlab submit | status} (a grid on a Slurm cluster), {@code bnlab report}, {@code bnlab analyze} (the
 * inference-phase comparison of finished runs), {@code bnlab benchmark}.
 * Bad input of any kind ends with one line on standard error and exit status 2, never a stack trace.
 */
@Command(name = "bnlab", mixinStandardHelpOptions = true, version = "bnlab 0.1.0",
        description = "What Batch Normalization does to deep residual networks.",
        subcommands = {CompareCommand.class, RunCommand.class, PlanCommand.class, ListCommand.class, ReportCommand.class,
                AnalyzeCommand.class,
                SubmitCommand.class, StatusCommand.class, SettingsCommand.class,
                BenchmarkCommand.class,
                CommandLine.HelpCommand.class})
public final class Bnlab {

    /** Exit status for bad input: missing or corrupt data, unknown names, impossible numbers. */
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        BackendSetup.configure(); // before any ND4J class loads
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status. */
    public static int execute(String... args) {
        return execute(new CommandLine(new Bnlab()), args);
    }

    /** Runs the command line with error messages going to {@code err} (tests read them). */
    public static int execute(java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Bnlab());
        cli.setErr(err);
        return execute(cli, args);
    }

    private static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isBadInput(e)) {
                String hint = e instanceof BadImageException ? " (--skip-bad-images leaves such files out)" : "";
                commandLine.getErr().println("bnlab: error: " + oneLine(e.getMessage()) + hint);
                return BAD_INPUT;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println("bnlab: error: " + oneLine(e.getMessage()) + " (see: " + command
                    + " --help)");
            return BAD_INPUT;
        });
        return cli.execute(args);
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UncheckedIOException || e instanceof org.bnlab.data.DatasetException
                || e instanceof org.bnlab.results.ResultsException
                || e instanceof org.bnlab.cluster.SlurmException;
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
