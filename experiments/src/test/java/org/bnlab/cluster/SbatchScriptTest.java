package org.bnlab.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SbatchScriptTest {

    @TempDir
    Path tmp;

    @Test
    void indicesAreSortedDeduplicatedAndRunsBecomeRanges() {
        assertEquals("0-3,7,9-10", SbatchScript.indexList(List.of(9, 0, 1, 2, 3, 7, 10)));
        assertEquals("5", SbatchScript.indexList(List.of(5)));
        assertEquals("1,3,5", SbatchScript.indexList(Set.of(5, 3, 1)));
        assertEquals("0-1", SbatchScript.indexList(List.of(1, 0, 1, 0)));
        assertEquals("0,2-4,999", SbatchScript.indexList(List.of(999, 4, 3, 2, 0)));
    }

    @Test
    void indicesMustBeThereAndNotNegative() {
        assertEquals("a job array needs at least one index",
                assertThrows(IllegalArgumentException.class, () -> SbatchScript.indexList(List.of())).getMessage());
        assertEquals("array indices must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> SbatchScript.indexList(List.of(2, -1)))
                        .getMessage());
    }

    @Test
    void arrayScriptText() {
        SbatchOptions options = SbatchOptions.builder().time("00:10:00").arrayThrottle(2).jobName("grid").build();
        SbatchScript script = SbatchScript.array(options, List.of(0, 1, 2, 3, 7), Path.of("/r/out"), Path.of("/w"),
                List.of("scripts/bnlab", "run", "my grid.yaml", "--index", SbatchScript.TASK_ID));
        assertEquals("""
                #!/bin/bash
                # Written by bnlab: one task per array index.
                #SBATCH --time=00:10:00
                #SBATCH --job-name=grid
                #SBATCH --array=0-3,7%2
                #SBATCH --output=/r/out/slurm/%A_%a.out
                set -euo pipefail
                cd /w
                exec scripts/bnlab run 'my grid.yaml' --index "$SLURM_ARRAY_TASK_ID"
                """, script.text());
        assertEquals(Path.of("/r/out/slurm"), script.logsFolder());
    }

    @Test
    void singleScriptHasNoArrayAndLogsByJobId() {
        SbatchScript script = SbatchScript.single(SbatchOptions.builder().arrayThrottle(4).build(), Path.of("/r"),
                Path.of("/w/x y"), List.of("scripts/bnlab", "report", "/r"));
        assertEquals("""
                #!/bin/bash
                # Written by bnlab.
                #SBATCH --output=/r/slurm/%j.out
                set -euo pipefail
                cd '/w/x y'
                exec scripts/bnlab report /r
                """, script.text());
    }

    @Test
    void singleJobHasNoTaskIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SbatchScript.single(
                SbatchOptions.NONE, tmp, tmp, List.of("echo", "--index", SbatchScript.TASK_ID)));
        assertTrue(e.getMessage().contains("a single job has no array task index"), e.getMessage());
    }

    @Test
    void emptyCommandIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> SbatchScript.array(SbatchOptions.NONE, List.of(0), tmp, tmp, List.of()));
    }

    @Test
    void percentInTheResultsPathIsEscapedForSlurmAndBackslashIsRefused() {
        String text = SbatchScript.array(SbatchOptions.NONE, List.of(0), Path.of("/r/100%"), Path.of("/w"),
                List.of("true")).text();
        assertTrue(text.contains("#SBATCH --output=/r/100%%/slurm/%A_%a.out\n"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SbatchScript.array(
                SbatchOptions.NONE, List.of(0), Path.of("/r/a\\b"), Path.of("/w"), List.of("true")));
        assertTrue(e.getMessage().contains("backslash"), e.getMessage());
    }

    @Test
    void outputOptionReplacesTheDefault() {
        String text = SbatchScript.array(SbatchOptions.builder().output("/logs/%x-%A_%a.log").build(), List.of(0),
                Path.of("/r"), Path.of("/w"), List.of("true")).text();
        assertTrue(text.contains("#SBATCH --output=/logs/%x-%A_%a.log\n"), text);
        assertFalse(text.contains("/r/slurm"), text);
    }

    @Test
    void bashRunsTheBodyInTheWorkingDirectoryWithTheTaskIndexSubstituted() throws IOException, InterruptedException {
        // No Slurm needed: the body is plain bash, and #SBATCH lines are comments to it.
        Path work = Files.createDirectories(tmp.resolve("work 'dir' $HOME"));
        List<String> command = List.of("bash", "-c", "printf '%s\\n' \"$PWD\" \"$@\" > out.txt", "_",
                SbatchScript.TASK_ID, "x" + SbatchScript.TASK_ID + "y" + SbatchScript.TASK_ID, "it's $HOME");
        Path file = SbatchScript.array(SbatchOptions.NONE, List.of(5), tmp.resolve("results"), work, command)
                .write(tmp.resolve("scripts/array.sbatch"));
        assertTrue(Files.isExecutable(file));
        assertTrue(Files.isDirectory(tmp.resolve("results/slurm")), "write creates the logs folder");

        ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
        builder.environment().put("SLURM_ARRAY_TASK_ID", "5");
        Process bash = builder.start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), output);
        assertEquals(List.of(work.toString(), "5", "x5y5", "it's $HOME"),
                Files.readAllLines(work.resolve("out.txt")));
    }

    @Test
    void environmentVariablesAreExportedForTheCommand() throws IOException, InterruptedException {
        java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
        environment.put("OMP_NUM_THREADS", "4");
        environment.put("BNLAB_JAVA_OPTS", "-Xmx2g -Dname='x y' $HOME");
        SbatchScript script = SbatchScript.single(SbatchOptions.NONE, tmp, tmp, environment,
                List.of("bash", "-c", "printf '%s\\n' \"$OMP_NUM_THREADS\" \"$BNLAB_JAVA_OPTS\" > env.txt"));
        assertTrue(script.text().contains("\nexport OMP_NUM_THREADS=4\nexport BNLAB_JAVA_OPTS='-Xmx2g -Dname='\\''x y'\\'' $HOME'\nexec "),
                script.text());
        Path file = script.write(tmp.resolve("env.sbatch"));
        Process bash = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), output);
        assertEquals(List.of("4", "-Xmx2g -Dname='x y' $HOME"), Files.readAllLines(tmp.resolve("env.txt")));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SbatchScript.single(
                SbatchOptions.NONE, tmp, tmp, java.util.Map.of("A-B", "1"), List.of("true")));
        assertEquals("not an environment variable name bash takes: 'A-B'", e.getMessage());
    }

    @Test
    void rewritingAScriptReplacesItWhole() throws IOException {
        Path file = tmp.resolve("slurm/array.sbatch");
        SbatchScript.single(SbatchOptions.NONE, tmp, tmp, List.of("echo", "first")).write(file);
        SbatchScript.single(SbatchOptions.NONE, tmp, tmp, List.of("echo", "second")).write(file);
        assertTrue(Files.readString(file).endsWith("exec echo second\n"));
        assertTrue(Files.isExecutable(file));
        try (java.util.stream.Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of("array.sbatch"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left");
        }
    }

    @Test
    void theBodyStopsAtTheFirstFailure() throws IOException, InterruptedException {
        // set -e: with a working directory that is gone, the cd fails and the command must not run elsewhere.
        Path marker = tmp.resolve("ran");
        Path file = SbatchScript.single(SbatchOptions.NONE, tmp, tmp.resolve("missing"),
                List.of("touch", marker.toString())).write(tmp.resolve("single.sbatch"));
        Process bash = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true).start();
        bash.getInputStream().readAllBytes();
        assertNotEquals(0, bash.waitFor());
        assertFalse(Files.exists(marker));
    }
}
