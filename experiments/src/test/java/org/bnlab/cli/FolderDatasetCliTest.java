package org.bnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bnlab.data.DatasetCatalog;
import org.bnlab.testing.Backend;
import org.bnlab.testing.ClassFolders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bnlab compare --dataset folder} on class folders as users have them: with bad files and
 * {@code --skip-bad-images}, and with non-ASCII names under the C locale through {@code scripts/bnlab}.
 * Each trains one tiny arm (ResNet-8, 8x8 images, one epoch).
 */
@ExtendWith(Backend.class)
class FolderDatasetCliTest {

    /** The one run folder under {@code out} (one arm, one seed: its id is the specification's hash). */
    private static Path runFolder(Path out) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(out)) {
            List<Path> runs = entries.filter(p -> Files.exists(p.resolve("config.json"))).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.BeforeAll
    static void home() {
        org.bnlab.testing.Home.install();
    }

    @AfterEach
    void forget() {
        DatasetCatalog.clearCache();
    }

    private List<String> tinyCompare(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--quiet", "--no-download", "--dataset", "folder",
                "--data-dir", data.toString(), "--train-per-class", "0", "--test-per-class", "0", "--epochs", "1",
                "--depth", "8", "--image-size", "8", "--batch-size", "16", "--normalization", "batchnorm",
                "--init", "he", "--seed", "1", "--stats-every", "0", "--out", out.toString()));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    @Test
    void skippedImagesAreCountedOnTheConsoleAndListedInTheRunRecords() throws IOException {
        Path data = ClassFolders.write(tmp.resolve("data"), List.of("cat", "dog"), 10, 5);
        Path empty = Files.write(data.resolve("train/dog/empty.jpg"), new byte[0]);
        byte[] png = Files.readAllBytes(data.resolve("test/cat/00.png"));
        Path cut = Files.write(data.resolve("test/cat/cut.png"), Arrays.copyOf(png, png.length - 20));
        Path out = tmp.resolve("out");

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream original = System.out;
        int status;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            status = Bnlab.execute(new PrintWriter(err, true),
                    tinyCompare(data, out, "--skip-bad-images").toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err + printed);
        assertTrue(printed.contains("20 training and 10 test images"), printed);
        assertTrue(printed.contains("skipped 2 bad image files (the first: image " + empty + " is empty (0 bytes)); "
                + "all are listed in data-problems.txt"), printed);
        String listed = Files.readString(runFolder(out).resolve("data-problems.txt"));
        assertTrue(listed.contains(empty + "\tis empty (0 bytes)\n"), listed);
        assertTrue(listed.contains(cut + "\tis truncated: "), listed);
        String environment = Files.readString(runFolder(out).resolve("environment.json"));
        assertTrue(environment.contains("\"skipped_images\" : 2"), environment);
    }

    /**
     * {@code LC_ALL=C}, as in many containers: plain {@code java} cannot read {@code café} and says so naming the
     * folder; {@code scripts/bnlab} switches to a UTF-8 locale and loads 40 + 20 images in 2 classes.
     */
    @Test
    void nonAsciiNamesLoadUnderTheCLocaleThroughTheScript() throws Exception {
        Path data = ClassFolders.write(tmp.resolve("data"), List.of("café", "東京 画像"), 20, 10);
        Files.move(data.resolve("train/café/00.png"), data.resolve("train/café/été 00.png"));
        List<String> args = tinyCompare(data, tmp.resolve("out"));

        List<String> plainJava = new ArrayList<>(List.of(javaCommand(), "-cp", System.getProperty("java.class.path"),
                "-Dbnlab.home=" + repositoryRoot(), Bnlab.class.getName()));
        plainJava.addAll(args);
        Child refused = run(plainJava);
        assertEquals(2, refused.status(), refused.output());
        String[] lines = refused.output().strip().split("\n");
        assertEquals("bnlab: error: folder " + data.resolve("train") + " holds an entry whose name cannot be read in "
                + "this JVM's file-name encoding ANSI_X3.4-1968 (it reads as \"caf??\"); run Java under a UTF-8 "
                + "locale, e.g. LC_ALL=C.UTF-8", lines[lines.length - 1], "the last line is the one error");
        assertFalse(refused.output().contains("Exception"), "no stack trace: " + refused.output());

        List<String> script = new ArrayList<>(List.of("bash", repositoryRoot().resolve("scripts/bnlab").toString()));
        script.addAll(args);
        Child loaded = run(script);
        assertEquals(0, loaded.status(), loaded.output());
        assertTrue(loaded.output().contains("40 training and 20 test images, 8x8, 2 classes"), loaded.output());
        assertTrue(Files.exists(runFolder(tmp.resolve("out")).resolve("summary.json")), loaded.output());
    }

    private record Child(int status, String output) {
    }

    /** Runs {@code command} with {@code LC_ALL=C}, on this test's classpath when it is scripts/bnlab. */
    private static Child run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("BNLAB_CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("PATH", Path.of(javaCommand()).getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "child did not finish: " + output);
        return new Child(process.exitValue(), output);
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The folder holding {@code scripts/}: the test runs in the experiments module's folder. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("scripts/bnlab")), "no scripts/bnlab under " + root);
        return root;
    }
}
