package org.bnlab.cluster;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ShellQuoteTest {

    /** Words that bash would split, expand, glob or choke on, and some it reads as they are. */
    private static final List<String> AWKWARD = List.of("", "plain", "a/b-c_d.e:f,g=h+i@j%k", "two words",
            "it's", "'", "''", "$HOME", "${x}", "`id`", "$(id)", "\\", "back\\slash", "\"quoted\"", "*", "?", "[a]",
            "~", "!event", "a;b", "a|b", "a&b", "<in", ">out", "#hash", "tab\there", "new\nline", "ümlaut", "-n");

    @Test
    void bashReadsEveryQuotedWordBackExactly() throws IOException, InterruptedException {
        // printf '%s\0' prints each word bash received, NUL-terminated: splitting, expansion or a lost quote shows.
        String script = "printf '%s\\0' " + ShellQuote.join(AWKWARD);
        Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), output);
        List<String> words = new ArrayList<>(List.of(output.split("\0", -1)));
        assertEquals("", words.remove(words.size() - 1), "output ends with a NUL");
        assertEquals(AWKWARD, words);
    }

    @Test
    void safeWordsStayBareOthersAreSingleQuoted() {
        assertEquals("scripts/bnlab", ShellQuote.quote("scripts/bnlab"));
        assertEquals("--index=3", ShellQuote.quote("--index=3"));
        assertEquals("''", ShellQuote.quote(""));
        assertEquals("'a b'", ShellQuote.quote("a b"));
        assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
        assertEquals("'$HOME'", ShellQuote.quote("$HOME"));
        assertEquals("a 'b c' ''", ShellQuote.join(List.of("a", "b c", "")));
    }

    @Test
    void nulCannotBeQuoted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void sbatchValuesDoubleBackslashesBecauseSbatchEscapesInsideQuotes() {
        assertEquals("00:10:00", ShellQuote.sbatchValue("00:10:00"));
        assertEquals("'my job'", ShellQuote.sbatchValue("my job"));
        assertEquals("'a\\\\b'", ShellQuote.sbatchValue("a\\b"));
        assertEquals("'it'\\''s #1'", ShellQuote.sbatchValue("it's #1"));
    }

    @Test
    void sbatchValuesMustStayOnTheirLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShellQuote.sbatchValue("x\n#SBATCH --mem=0"));
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
