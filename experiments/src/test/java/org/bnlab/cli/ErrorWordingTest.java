package org.bnlab.cli;

import org.bnlab.testing.Backend;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The wording of error lines: they name what the user typed (compare's option, not the setting it stands for) and
 * say the reason in the file's terms (no Java types, no Jackson phrases).
 */
@ExtendWith(Backend.class)
class ErrorWordingTest {

    @BeforeAll
    static void home() {
        Home.install();
    }

    @TempDir
    Path tmp;

    /** The one error line of a command that must fail with bad input, having written nothing under --out. */
    private String errorLine(String... args) {
        Console console = Console.run(args);
        assertEquals(Bnlab.BAD_INPUT, console.status(), console.toString());
        assertEquals(1, console.err().lines().count(), console.toString());
        assertFalse(console.err().contains("\tat "), console.toString());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written: " + console);
        String line = console.err().strip();
        assertTrue(line.startsWith("bnlab: error: "), line);
        return line.substring("bnlab: error: ".length());
    }

    private String compareError(String... options) {
        List<String> args = new ArrayList<>(List.of("compare", "--quiet", "--no-download",
                "--out", tmp.resolve("out").toString()));
        args.addAll(List.of(options));
        return errorLine(args.toArray(String[]::new));
    }

    /** compare's shorthands: the error names the option typed, not the {@code --set} it stands for. */
    @Test
    void compareErrorsNameTheOptionTyped() {
        assertEquals("--depth: depth 7 is not of the form 6n+2 with n >= 1 (20, 32, 44, 56, 110 are the paper's)",
                compareError("--depth", "7"));
        assertEquals("--epochs: epochs must be at least 1, got 0", compareError("--epochs", "0"));
        assertEquals("--bn-decay: BN decay must be in [0, 1), got 2.0", compareError("--bn-decay", "2"));
        assertEquals("--lr -1: learning rate must be positive, got -1.0", compareError("--lr", "-1"));
        assertTrue(compareError("--normalization", "foo").startsWith("--normalization foo: "));
        assertTrue(compareError("--shortcut", "C").startsWith("--shortcut: "));
        // a --set of its own keeps its name
        assertTrue(compareError("--set", "model.depth=7").startsWith("--set model.depth: depth 7 "));
        assertTrue(compareError("--depth", "8", "--set", "model.depth=7").startsWith("--set model.depth: depth 7 "));
    }

    /** An unknown data set stops compare (and plan) at once, naming the option and the names it could be. */
    @Test
    void anUnknownDatasetIsRefusedBeforeAnythingIsWritten() {
        String known = "(expected one of: cifar10, cifar100, cifar100-coarse, imagenette, folder, mnist, "
                + "fashion-mnist)";
        assertEquals("--dataset: unknown dataset 'foo' " + known, compareError("--dataset=foo"));
        assertEquals("--set data.dataset: unknown dataset 'foo' " + known,
                errorLine("plan", "bn-vs-nobn", "--set", "data.dataset=foo"));
    }
}
