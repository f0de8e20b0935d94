package org.bnlab.cli;

import org.bnlab.testing.Backend;
import org.bnlab.testing.ClassFolders;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input ends with one clear line on standard error, exit status 2, no stack trace, nothing that looks finished:
 * through {@code compare} (its options are {@code --set}s of experiments/bn-vs-nobn.yaml) and through experiment
 * files given to {@code run} and {@code plan}.
 */
@ExtendWith(Backend.class)
class BadInputTest {

    @BeforeAll
    static void home() {
        Home.install();
    }

    @TempDir
    Path tmp;

    private record Outcome(int status, String err) {
    }

    private Outcome run(String... args) {
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        int status = Bnlab.execute(new PrintWriter(err, true), all.toArray(String[]::new));
        return new Outcome(status, err.toString());
    }

    private void assertOneLineError(Outcome outcome, String expected) {
        assertEquals(Bnlab.BAD_INPUT, outcome.status(), outcome.err());
        String first = outcome.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("bnlab: error: "), outcome.err());
        assertTrue(first.contains(expected), "expected '" + expected + "' in: " + outcome.err());
        assertFalse(outcome.err().contains("\tat "), "no stack trace: " + outcome.err());
        assertTrue(outcome.err().lines().count() <= 2, "one line (and a pointer to --help): " + outcome.err());
    }

    private String[] compare(String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--quiet", "--no-download",
                "--out", tmp.resolve("out").toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** A contrast that compares nothing stops plan and run before anything is written, naming file and line. */
    @Test
    void aContrastThatComparesNothingIsRefusedBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("typo.yaml"), String.join("\n", "name: typo",
                "base: {model.depth: 8}", "grid:", "  model.normalization: [batchnorm, none]", "seeds: [1]",
                "contrasts:", "  - \"model.normalisation: batchnorm vs none\"") + "\n");
        for (String command : List.of("plan", "run")) {
            assertOneLineError(run(command, file.toString(), "--out", tmp.resolve("out").toString()),
                    file + ", line 7: contrast 'normalisation=batchnorm vs normalisation=none': treatment: "
                            + "model.normalisation: not a setting (did you mean model.normalization?)");
            assertFalse(Files.exists(tmp.resolve("out")), command + " wrote nothing");
        }
    }

    @Test
    void missingDataFolder() {
        Path missing = tmp.resolve("no-such-folder");
        assertOneLineError(run(compare("--data-dir", missing.toString())), missing.toString());
        assertNothingFinished();
    }

    @Test
    void unknownDataset() {
        assertOneLineError(run(compare("--dataset", "mnist", "--data-dir", tmp.toString())), "mnist");
    }

    @Test
    void truncatedCifarFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data/cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), new byte[3073 * 2]);
        }
        Files.write(dir.resolve("test_batch.bin"), new byte[3073 * 2 - 100]); // cut short
        Files.writeString(dir.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
        assertOneLineError(run(compare("--data-dir", tmp.resolve("data").toString())), "test_batch.bin");
        assertNothingFinished();
    }

    /** Each kind of bad image file: one line naming it, exit 2, and not even the output folder is created. */
    @Test
    void badImageFilesAreNamedBeforeAnythingIsWritten() throws IOException {
        Path data = ClassFolders.write(tmp.resolve("data"), List.of("cat", "dog"), 3, 2);
        Path png = data.resolve("train/cat/00.png");
        byte[] valid = Files.readAllBytes(png);
        Map<String, byte[]> kinds = new LinkedHashMap<>();
        kinds.put("is empty (0 bytes)", new byte[0]);
        kinds.put("is truncated: ", Arrays.copyOf(valid, valid.length / 2));
        kinds.put("is not a JPEG or PNG file", "not an image".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> kind : kinds.entrySet()) {
            Path bad = Files.write(data.resolve("train/dog/bad.jpg"), kind.getValue());
            Outcome outcome = run(compare("--dataset", "folder", "--data-dir", data.toString()));
            assertOneLineError(outcome, "image " + bad + " " + kind.getKey());
            assertTrue(outcome.err().strip().endsWith("(--skip-bad-images leaves such files out)"), outcome.err());
            assertEquals(1, outcome.err().lines().count(), outcome.err());
            assertFalse(Files.exists(tmp.resolve("out")), "nothing written under --out");
        }
    }

    /** The output folder is checked before the data is loaded: the bad image is never reached. */
    @Test
    void outputFolderThatCannotBeCreatedIsNamedFirst() throws IOException {
        Path data = ClassFolders.write(tmp.resolve("data"), List.of("cat", "dog"), 3, 2);
        Files.write(data.resolve("train/dog/empty.jpg"), new byte[0]);
        Path file = Files.writeString(tmp.resolve("file"), "in the way");
        Outcome outcome = run("compare", "--quiet", "--dataset", "folder", "--data-dir", data.toString(),
                "--out", file.resolve("out").toString());
        assertOneLineError(outcome, "output folder " + file.resolve("out") + " cannot be created: " + file
                + " is not a folder");
    }

    @Test
    void impossibleNumbers() {
        assertOneLineError(run(compare("--epochs", "-1")), "epochs must be at least 1");
        assertOneLineError(run(compare("--batch-size", "0")), "batch size must be at least 1");
        assertOneLineError(run(compare("--depth", "21")), "6n+2");
        assertOneLineError(run(compare("--lr", "-0.1")), "learning rate must be positive");
        assertOneLineError(run(compare("--train-per-class", "-5")), "train images per class must be >= 0");
        assertOneLineError(run(compare("--epochs", "many")), "many");
        assertOneLineError(run(compare("--stats-every", "-1")), "activation_stats_every must be >= 0");
        assertOneLineError(run(compare("--target-accuracy", "40")), "did you mean 0.4");
    }

    @Test
    void unknownOptionValues() {
        assertOneLineError(run(compare("--normalization", "layernorm")), "layernorm");
        assertOneLineError(run(compare("--init", "xavier")), "xavier");
        assertOneLineError(run(compare("--shortcut", "C")), "C");
        assertOneLineError(run(compare("--layout", "chwn")), "chwn");
        assertOneLineError(run("compare", "--no-such-option"), "--no-such-option");
        assertOneLineError(run("frobnicate"), "frobnicate");
    }

    @Test
    void reportOfAMissingFolder() {
        assertOneLineError(run("report", tmp.resolve("absent").toString()), "no results folder");
    }

    @Test
    void reportOfAFolderWithoutRuns() {
        assertOneLineError(run("report", tmp.toString()), "no finished runs");
    }

    private Path experimentFile(String... lines) throws IOException {
        return Files.writeString(tmp.resolve("x.yaml"), String.join("\n", lines) + "\n");
    }

    @Test
    void badExperimentFiles() throws IOException {
        assertOneLineError(run("plan", tmp.resolve("absent.yaml").toString()), "no experiment file");
        assertOneLineError(run("plan", "no-such-experiment"), "no experiment file no-such-experiment");
        Path unknown = experimentFile("name: x", "basis: {}");
        assertOneLineError(run("plan", unknown.toString()), unknown + ", line 2: unknown key 'basis'");
        Path key = experimentFile("name: x", "base:", "  model.dept: 8");
        assertOneLineError(run("run", key.toString(), "--out", tmp.resolve("out").toString()),
                key + ", line 3: model.dept: unknown key");
        Path type = experimentFile("name: x", "base:", "  train.epochs: 2.5");
        assertOneLineError(run("run", type.toString(), "--out", tmp.resolve("out").toString()),
                type + ", line 3: train.epochs: ");
        Path zip = experimentFile("name: x", "zip:", "  - model.normalization: [batchnorm, none]",
                "    model.init: [he]");
        assertOneLineError(run("plan", zip.toString()), "zipped values must have one length");
        assertNothingFinished();
    }

    @Test
    void experimentFilesThatWouldBeMisreadOrLoseArms() throws IOException {
        Path twice = experimentFile("name: x", "seeds: [1, 2]", "seeds: [3]");
        assertOneLineError(run("plan", twice.toString()), twice + ", line 3: seeds: written twice (first at line 2)");
        Path alias = experimentFile("name: x", "base:", "  train.epochs: *e");
        assertOneLineError(run("run", alias.toString(), "--out", tmp.resolve("out").toString()),
                alias + ", line 3: base.train.epochs: alias *e has no anchor &e before it");
        Path over = experimentFile("name: x", "extends: bn-vs-nobn", "grid:", "  model.init: [he, zero-residual]");
        assertOneLineError(run("run", over.toString(), "--out", tmp.resolve("out").toString()),
                over + ", line 4: model.init is also varied by the axis inherited from ");
        assertOneLineError(run("plan", "bn-vs-nobn", "--grid", "train.schedule.milestones=[0.5,0.75"),
                "--grid train.schedule.milestones=[0.5,0.75: '[' is not closed");
        assertNothingFinished();
    }

    @Test
    void badSetsAndGrids() {
        assertOneLineError(run("plan", "bn-vs-nobn", "--set", "train.epochs"),
                "--set train.epochs: expected path=value");
        assertOneLineError(run("plan", "bn-vs-nobn", "--set", "train.epoch=3"),
                "--set train.epoch: unknown key");
        assertOneLineError(run("plan", "bn-vs-nobn", "--set", "model.depth=21"), "depth 21 is not of the form 6n+2");
        assertOneLineError(run("plan", "bn-vs-nobn", "--grid", "seed=one,two"), "a seed must be an integer");
        assertOneLineError(run("plan", "bn-vs-nobn", "--set", "model.init=orthogonal"), "orthogonal");
        assertOneLineError(run("run", "bn-vs-nobn", "--index", "9", "--out", tmp.resolve("out").toString()),
                "--index 9 is out of range");
        assertOneLineError(run("run", "bn-vs-nobn", "--only", "nope", "--out", tmp.resolve("out").toString()),
                "has no run 'nope'");
        assertOneLineError(run("run", "bn-vs-nobn", "--workers", "0", "--out", tmp.resolve("out").toString()),
                "--workers must be at least 1");
        assertNothingFinished();
    }

    /** Batches of few classes: k must divide the batch size, be >= 0 and not exceed the data set's classes. */
    @Test
    void batchClassesThatCannotFormBatches() throws IOException {
        Path file = experimentFile("name: x", "base:", "  data.batch_classes: 3", "  train.batch_size: 32");
        assertOneLineError(run("plan", file.toString()), file + ", line 3: data.batch_classes: 3 classes per batch "
                + "do not divide train.batch_size 32");
        assertOneLineError(run("plan", "bn-vs-nobn", "--set", "data.batch_classes=-1"),
                "--set data.batch_classes: classes per training batch must be >= 0");
        Path data = ClassFolders.write(tmp.resolve("data"), List.of("cat", "dog"), 3, 2);
        Path many = experimentFile("name: x", "base:", "  data: {dataset: folder, root: " + data + "}",
                "  data.batch_classes: 4", "  train: {batch_size: 4, epochs: 1}", "  model.depth: 8");
        assertOneLineError(run("run", many.toString(), "--out", tmp.resolve("out").toString()),
                "data.batch_classes: 4 classes per batch, but the data set has 2 classes");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    private void assertNothingFinished() {
        Path out = tmp.resolve("out");
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.walk(out)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("summary.json")));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
