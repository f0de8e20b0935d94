package org.bnlab.cli;

import org.bnlab.spec.SettingsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** Every setting of a run with its default and meaning, from the specification itself ({@link SettingsTable}). */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = {"List every setting of a run (the paths of --set, --grid and experiment files) with its "
                + "default and meaning.", "--markdown prints the table of docs/specification.md."})
final class SettingsCommand implements Callable<Integer> {

    @Option(names = "--markdown", description = "the Markdown table of docs/specification.md")
    boolean markdown;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (markdown) {
            out.print(SettingsTable.markdown());
            return 0;
        }
        for (SettingsTable.Row row : SettingsTable.rows()) {
            out.printf("%-40s %s%n", row.path(), row.defaultValue().isEmpty() ? "" : "= " + row.defaultValue());
            out.printf("    %s%n", row.description() == null ? "" : row.description().replace("`", ""));
        }
        return 0;
    }
}
