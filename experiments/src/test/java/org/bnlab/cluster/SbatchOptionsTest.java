package org.bnlab.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SbatchOptionsTest {

    private static String rejected(SbatchOptions.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void noOptionsNoLines() {
        assertEquals(List.of(), SbatchOptions.NONE.directives());
    }

    @Test
    void everyFieldBecomesItsOptionInFieldOrder() {
        SbatchOptions options = SbatchOptions.builder().partition("gpu").time("2-00:00:00").cpusPerTask(4)
                .gpusPerTask(1).mem("16G").arrayThrottle(3).account("lab").jobName("bn vs nobn")
                .extraLine("--qos=long").extraLine("#SBATCH   --exclusive").build();
        assertEquals(List.of(
                "#SBATCH --partition=gpu",
                "#SBATCH --time=2-00:00:00",
                "#SBATCH --cpus-per-task=4",
                "#SBATCH --ntasks=1",
                "#SBATCH --gpus-per-task=1",
                "#SBATCH --mem=16G",
                "#SBATCH --account=lab",
                "#SBATCH --job-name='bn vs nobn'",
                "#SBATCH --qos=long",
                "#SBATCH --exclusive"), options.directives());
    }

    @Test
    void timeAcceptsMinutesAndClockForms() {
        for (String time : List.of("1", "90", "01:30:00", "100:00:00", "0-00:00:01", "2-23:59:59")) {
            assertEquals(time, SbatchOptions.builder().time(time).build().time());
        }
    }

    @Test
    void timeRejectsOtherForms() {
        for (String time : List.of("", "0", "1h", "01:30", "1:60:00", "1:00:60", "1-24:00:00", "-1", "1-", "a:b:c")) {
            String message = rejected(SbatchOptions.builder().time(time));
            assertTrue(message.startsWith("time limit must be minutes (at least 1) or [D-]HH:MM:SS, got '" + time + "'"),
                    message);
        }
        assertTrue(rejected(SbatchOptions.builder().time("0")).contains("Slurm reads 0 as no limit"));
    }

    @Test
    void countsMustBePositive() {
        assertEquals("array throttle (%K) must be at least 1, got 0",
                rejected(SbatchOptions.builder().arrayThrottle(0)));
        assertEquals("cpus per task must be at least 1, got -2", rejected(SbatchOptions.builder().cpusPerTask(-2)));
        assertEquals("GPUs per task must be at least 1, got 0", rejected(SbatchOptions.builder().gpusPerTask(0)));
    }

    @Test
    void memoryIsANumberWithSlurmsUnits() {
        assertEquals("#SBATCH --mem=4000", SbatchOptions.builder().mem("4000").build().directives().get(0));
        assertEquals("#SBATCH --mem=4g", SbatchOptions.builder().mem("4g").build().directives().get(0));
        assertTrue(rejected(SbatchOptions.builder().mem("4GB")).contains("got '4GB'"));
        assertTrue(rejected(SbatchOptions.builder().mem("lots")).contains("got 'lots'"));
    }

    @Test
    void namesAreOneWord() {
        assertEquals("partition must be one word without white space, got 'a b'",
                rejected(SbatchOptions.builder().partition("a b")));
        assertEquals("account must be one word without white space, got ''",
                rejected(SbatchOptions.builder().account("")));
    }

    @Test
    void nothingMayBreakOutOfItsLine() {
        assertEquals("job name must be one line, got 'x\\n#SBATCH --mem=0'",
                rejected(SbatchOptions.builder().jobName("x\n#SBATCH --mem=0")));
        assertTrue(rejected(SbatchOptions.builder().extraLine("--qos=a\nrm -rf ~")).contains("must be one line"));
        assertTrue(rejected(SbatchOptions.builder().output("a\rb")).contains("must be one line"));
    }

    @Test
    void extraLinesAreOptionsButNotArrayOrOutput() {
        assertTrue(rejected(SbatchOptions.builder().extraLine("qos=long")).contains("must be an option"));
        for (String line : List.of("--array=0-3", "#SBATCH --output=x", "-o x", "-a 1-2", "--array 1")) {
            assertTrue(rejected(SbatchOptions.builder().extraLine(line)).contains("sets --array or --output"), line);
        }
        // Options that merely start like them are fine.
        assertEquals("#SBATCH --open-mode=append",
                SbatchOptions.builder().extraLine("--open-mode=append").build().directives().get(0));
    }
}
