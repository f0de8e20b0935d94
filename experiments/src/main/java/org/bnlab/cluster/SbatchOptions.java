package org.bnlab.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a job asks Slurm for, as {@code #SBATCH} lines. Every field is optional ({@code null}: Slurm's or the
 * partition's default); the constructor checks each one so that a typo fails here with a message naming the
 * option, not minutes later in a queue as a rejected or silently different job.
 *
 * @param partition    {@code --partition}: one name, no white space
 * @param time         {@code --time}: the wall-clock limit per task as minutes ({@code 90}, at least 1) or
 *                     {@code [D-]HH:MM:SS} ({@code 01:30:00}, {@code 2-00:00:00}; minutes and seconds below 60,
 *                     hours below 24 when days are given)
 * @param cpusPerTask  {@code --cpus-per-task}, at least 1
 * @param gpusPerTask  {@code --gpus-per-task}, at least 1; written with {@code --ntasks=1}, which Slurm requires
 *                     beside it
 * @param mem          {@code --mem}: memory per node, an integer with an optional unit K, M, G or T (Slurm's
 *                     default unit is megabytes; {@code 0} asks for all of a node's memory)
 * @param arrayThrottle the {@code %K} of {@code --array}: at most this many tasks of an array run at once, at
 *                     least 1
 * @param account      {@code --account}: one name, no white space
 * @param jobName      {@code --job-name}: any text on one line
 * @param output       {@code --output}: a file name pattern that replaces {@link SbatchScript}'s default (the
 *                     results folder's {@code slurm/%A_%a.out}); used as given, so Slurm's {@code %} patterns work
 * @param extraLines   more options, one per line, as {@code --option=value} or a whole {@code #SBATCH ...} line;
 *                     not {@code --array} or {@code --output}, which have their own fields
 */
public record SbatchOptions(String partition, String time, Integer cpusPerTask, Integer gpusPerTask, String mem,
                            Integer arrayThrottle, String account, String jobName, String output,
                            List<String> extraLines) {

    /** No options: every default is Slurm's. */
    public static final SbatchOptions NONE = builder().build();

    private static final Pattern MINUTES = Pattern.compile("\\d+");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+)-)?(\\d+):(\\d{2}):(\\d{2})");
    private static final Pattern MEMORY = Pattern.compile("\\d+[KMGTkmgt]?");
    private static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl}]+");
    private static final Pattern DIRECTIVE = Pattern.compile("#SBATCH\\s+");
    /** Options with a field of their own; a second --array or --output line would contradict the first. */
    private static final Pattern OWN_FIELD = Pattern.compile("--(?:array|output)(?:[=\\s].*)?|-[ao].*");

    public SbatchOptions {
        requireName("partition", partition);
        requireName("account", account);
        if (time != null) {
            checkTime(time);
        }
        requireAtLeastOne("cpus per task", cpusPerTask);
        requireAtLeastOne("GPUs per task", gpusPerTask);
        requireAtLeastOne("array throttle (%K)", arrayThrottle);
        if (mem != null && !MEMORY.matcher(mem).matches()) {
            throw new IllegalArgumentException("memory must be an integer with an optional unit K, M, G or T "
                    + "(megabytes without one), got '" + ShellQuote.visible(mem) + "'");
        }
        requireOneLine("job name", jobName);
        requireOneLine("output pattern", output);
        if (output != null && output.isBlank()) {
            throw new IllegalArgumentException("output pattern must not be blank");
        }
        List<String> lines = new ArrayList<>();
        for (String line : extraLines == null ? List.<String>of() : extraLines) {
            lines.add(directive(line));
        }
        extraLines = List.copyOf(lines);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code #SBATCH} lines of the fields that map straight to one option, in the order of the fields, then
     * the extra lines. Not {@code --array} or {@code --output}: {@link SbatchScript} writes those.
     */
    public List<String> directives() {
        List<String> lines = new ArrayList<>();
        add(lines, "partition", partition);
        add(lines, "time", time);
        add(lines, "cpus-per-task", cpusPerTask);
        if (gpusPerTask != null) {
            // Slurm refuses --gpus-per-task without a task count ("--gpus-per-task ... used without either --gpus
            // or -n/--ntasks is not allowed"); each job here is one process, one task.
            add(lines, "ntasks", 1);
        }
        add(lines, "gpus-per-task", gpusPerTask);
        add(lines, "mem", mem);
        add(lines, "account", account);
        add(lines, "job-name", jobName);
        lines.addAll(extraLines);
        return lines;
    }

    private static void add(List<String> lines, String option, Object value) {
        if (value != null) {
            lines.add("#SBATCH --" + option + "=" + ShellQuote.sbatchValue(value.toString()));
        }
    }

    private static void checkTime(String time) {
        String expected = "time limit must be minutes (at least 1) or [D-]HH:MM:SS, got '"
                + ShellQuote.visible(time) + "'";
        if (MINUTES.matcher(time).matches()) {
            if (Long.parseLong(time) < 1) {
                throw new IllegalArgumentException(expected + " (Slurm reads 0 as no limit; leave it unset instead)");
            }
            return;
        }
        Matcher clock = CLOCK.matcher(time);
        if (!clock.matches()) {
            throw new IllegalArgumentException(expected);
        }
        boolean days = clock.group(1) != null;
        if (Integer.parseInt(clock.group(3)) >= 60 || Integer.parseInt(clock.group(4)) >= 60
                || (days && Integer.parseInt(clock.group(2)) >= 24)) {
            throw new IllegalArgumentException(expected + " (minutes and seconds below 60, hours below 24 after days)");
        }
    }

    private static String directive(String line) {
        if (line == null) {
            throw new IllegalArgumentException("extra #SBATCH line must not be null");
        }
        requireOneLine("extra #SBATCH line", line);
        String option = line.strip();
        Matcher prefix = DIRECTIVE.matcher(option);
        if (prefix.lookingAt()) {
            option = option.substring(prefix.end());
        }
        if (!option.startsWith("-")) {
            throw new IllegalArgumentException("extra #SBATCH line must be an option such as --qos=normal, got '"
                    + line + "'");
        }
        if (OWN_FIELD.matcher(option).matches()) {
            throw new IllegalArgumentException("extra #SBATCH line '" + line
                    + "' sets --array or --output; use the array indices and throttle, or the output field");
        }
        return "#SBATCH " + option;
    }

    private static void requireName(String what, String value) {
        if (value != null && !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be one word without white space, got '"
                    + ShellQuote.visible(value) + "'");
        }
    }

    private static void requireOneLine(String what, String value) {
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException(what + " must be one line, got '" + ShellQuote.visible(value) + "'");
        }
    }

    private static void requireAtLeastOne(String what, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    /** Builds options field by field; unset fields stay {@code null} (Slurm's default). */
    public static final class Builder {
        private String partition;
        private String time;
        private Integer cpusPerTask;
        private Integer gpusPerTask;
        private String mem;
        private Integer arrayThrottle;
        private String account;
        private String jobName;
        private String output;
        private final List<String> extraLines = new ArrayList<>();

        private Builder() {
        }

        public Builder partition(String value) {
            partition = value;
            return this;
        }

        public Builder time(String value) {
            time = value;
            return this;
        }

        public Builder cpusPerTask(Integer value) {
            cpusPerTask = value;
            return this;
        }

        public Builder gpusPerTask(Integer value) {
            gpusPerTask = value;
            return this;
        }

        public Builder mem(String value) {
            mem = value;
            return this;
        }

        public Builder arrayThrottle(Integer value) {
            arrayThrottle = value;
            return this;
        }

        public Builder account(String value) {
            account = value;
            return this;
        }

        public Builder jobName(String value) {
            jobName = value;
            return this;
        }

        public Builder output(String value) {
            output = value;
            return this;
        }

        public Builder extraLine(String value) {
            extraLines.add(value);
            return this;
        }

        /** @throws IllegalArgumentException as the record's constructor does */
        public SbatchOptions build() {
            return new SbatchOptions(partition, time, cpusPerTask, gpusPerTask, mem, arrayThrottle, account, jobName,
                    output, extraLines);
        }
    }
}
