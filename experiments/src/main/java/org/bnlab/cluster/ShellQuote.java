package org.bnlab.cluster;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Quoting for the two readers of a generated sbatch script: bash, which runs its body, and sbatch, which reads its
 * {@code #SBATCH} lines with a parser of its own (not a shell).
 *
 * <p>Paths of results folders and experiment files come from users and may hold spaces, quotes or {@code $}; an
 * unquoted one would split into several words or expand in the job, far from where it was typed.
 */
public final class ShellQuote {

    /** Words bash reads as themselves: left bare so that scripts stay readable. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /**
     * One bash word that stands for {@code text} exactly: {@code text} itself when it holds only safe characters,
     * else in single quotes with each {@code '} written as {@code '\''}. The empty string becomes {@code ''}.
     *
     * @throws IllegalArgumentException if {@code text} holds a NUL character, which no command argument can hold
     */
    public static String quote(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot hold a NUL character: " + visible(text));
        }
        if (SAFE.matcher(text).matches()) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The words quoted by {@link #quote} and joined by single spaces: a command line for bash. */
    public static String join(List<String> words) {
        return words.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    /**
     * The value of an {@code #SBATCH --option=VALUE} line, quoted for sbatch's own parser (Slurm 22.05,
     * {@code _get_argument} in sbatch/opt.c): it groups on single and double quotes, ends the line at an unquoted
     * {@code #}, and takes a backslash as an escape even inside quotes. So the value goes in single quotes with
     * {@code \} doubled and {@code '} written as {@code '\''} (bash's way also works there).
     *
     * @throws IllegalArgumentException if {@code value} holds a line break or NUL, which would end the
     *                                  {@code #SBATCH} line early and turn the rest into script text
     */
    public static String sbatchValue(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an #SBATCH value cannot hold a line break or NUL: " + visible(value));
        }
        if (SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "'\\''") + "'";
    }

    /** The text with control characters shown as escapes, for error messages that must stay one line. */
    static String visible(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
