package org.bnlab.experiment;

import org.bnlab.spec.SpecException;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Experiment files: what they may say, how {@code extends} combines them, and that each kind of bad file is rejected
 * with one message naming the file, the line where known, the key and the reason.
 */
class ExperimentFilesTest {

    @TempDir
    Path tmp;

    private Path file(String name, String... lines) {
        Path file = tmp.resolve(name);
        try {
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Loads and expands: some mistakes show only once the runs' specifications are resolved. */
    private static String rejected(Path file) {
        SpecException e = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(ExperimentFiles.load(file)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    // ---- what a file may say ----

    @Test
    void theDefaultExperimentFileReads() {
        Experiment e = ExperimentFiles.load(Home.defaultExperiment());
        assertEquals("bn-vs-nobn", e.name());
        assertTrue(e.question().startsWith("Does BatchNorm let ResNet-20 learn faster"), e.question());
        assertTrue(e.source().contains("He et al. 2016"), e.source());
        assertEquals(List.of(1L, 2L, 3L), e.seeds());
        assertEquals(1, e.axes().size(), "one zipped axis");
        assertEquals(List.of("model.normalization", "model.init"), e.axes().get(0).paths());
        assertEquals(3, e.axes().get(0).size());
        assertEquals(List.of("BN vs no-BN (zero-residual)", "BN vs no-BN (he)"),
                e.contrasts().stream().map(Contrast::name).toList());
        assertEquals(Map.of("model.normalization", "none", "model.init", "zero-residual"),
                e.contrasts().get(0).baseline());
        assertEquals(600, e.base().at("/data/train_per_class").asInt());
        assertEquals(0.1, e.base().at("/train/learning_rate").asDouble());
    }

    @Test
    void everyKeyOfAFile() {
        Path f = file("all.yaml",
                "name: lr-sweep",
                "question: Does BN tolerate larger learning rates?",
                "source: Ioffe and Szegedy 2015, section 4.2",
                "base:",
                "  data.train_per_class: 50",
                "  model:",
                "    depth: 8",
                "grid:",
                "  train.learning_rate: [0.01, 0.1, 1]",
                "zip:",
                "  - model.normalization: [batchnorm, none]",
                "    model.init: [he, zero-residual]",
                "seeds: [4, 5]",
                "contrasts:",
                "  - \"model.normalization: batchnorm vs none\"",
                "references:",
                "  - {match: {model.depth: 8}, metric: test_error_pct, value: 8.75, source: \"He et al. 2016, Table 6\"}");
        Experiment e = ExperimentFiles.load(f);
        assertEquals("lr-sweep", e.name());
        assertEquals("Ioffe and Szegedy 2015, section 4.2", e.source());
        assertEquals(List.of(List.of("train.learning_rate"), List.of("model.normalization", "model.init")),
                e.axes().stream().map(Axis::paths).toList(), "grid axes first, then the zipped ones");
        assertEquals(List.of(4L, 5L), e.seeds());
        Contrast c = e.contrasts().get(0);
        assertEquals(Map.of("model.normalization", "batchnorm"), c.treatment());
        assertEquals(Map.of("model.normalization", "none"), c.baseline());
        assertEquals("normalization=batchnorm vs normalization=none", c.name(), "a default name from the selectors");
        Reference r = e.references().get(0);
        assertEquals(new Reference(Map.of("model.depth", "8"), Reference.TEST_ERROR, 8.75, "He et al. 2016, Table 6"), r);
        assertTrue(e.axes().get(0).where().contains("all.yaml, line 9"), e.axes().get(0).where());
    }

    @Test
    void extendsAppliesTheChildsBaseOverTheParentsAndReplacesWhatTheChildGives() throws IOException {
        Files.createDirectories(tmp.resolve("sub"));
        file("parent.yaml",
                "name: parent",
                "question: The parent's question",
                "base:",
                "  model.depth: 8",
                "  train:",
                "    epochs: 2",
                "    batch_size: 32",
                "grid:",
                "  train.learning_rate: [0.01, 0.1]",
                "seeds: [1, 2]",
                "contrasts:",
                "  - \"train.learning_rate: 0.1 vs 0.01\"");
        Path child = file("sub/child.yaml",
                "name: child",
                "extends: ../parent.yaml",
                "base:",
                "  train.epochs: 3",
                "seeds: [9]");
        Experiment e = ExperimentFiles.load(child);
        assertEquals("child", e.name());
        assertEquals("The parent's question", e.question(), "inherited");
        assertEquals(List.of(9L), e.seeds(), "replaced");
        assertEquals(1, e.axes().size(), "the parent's grid");
        assertEquals(1, e.contrasts().size());
        ExperimentPlan plan = ExperimentPlan.expand(e);
        assertEquals(2, plan.runs().size());
        for (PlannedRun run : plan.runs()) {
            assertEquals(3, run.spec().train().epochs(), "the child's value");
            assertEquals(32, run.spec().train().batchSize(), "the parent's value beside it stays");
            assertEquals(8, run.spec().model().depth());
            assertEquals(9, run.spec().seed());
        }
    }

    @Test
    void aChildsGridReplacesTheParentsGrid() {
        file("p.yaml", "name: p", "grid:", "  train.learning_rate: [0.01, 0.1]");
        Path child = file("c.yaml", "name: c", "extends: p.yaml", "grid:", "  model.depth: [8, 14]");
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(child));
        assertEquals(List.of("model.depth"), plan.varying());
    }

    private void parentWithGridZipAndSeeds() {
        file("p.yaml", "name: p", "base:", "  model.depth: 8",
                "grid:", "  train.learning_rate: [0.01, 0.1]",
                "zip:", "  - model.normalization: [batchnorm, none]", "    model.init: [he, zero-residual]",
                "seeds: [1, 2]");
    }

    @Test
    void aChildsGridKeepsTheParentsZipAndItsZipTheParentsGrid() {
        parentWithGridZipAndSeeds();
        Path grid = file("grid.yaml", "name: c", "extends: p.yaml", "grid:", "  train.learning_rate: [0.5]",
                "  train.batch_size: [32, 64]");
        ExperimentPlan withGrid = ExperimentPlan.expand(ExperimentFiles.load(grid));
        assertEquals(1 * 2 * 2 * 2, withGrid.runs().size(), "the parent's zip and seeds are kept");
        assertEquals(List.of("train.batch_size", "model.normalization", "model.init", "seed"), withGrid.varying());
        assertEquals("extends " + tmp.resolve("p.yaml") + ": keeps its zip (model.normalization+model.init), "
                + "seeds [1, 2]; replaces its grid (train.learning_rate)", ExperimentFiles.inheritance(grid));

        Path zip = file("zip.yaml", "name: c", "extends: p.yaml", "zip:", "  - model.shortcut: [A, B]");
        ExperimentPlan withZip = ExperimentPlan.expand(ExperimentFiles.load(zip));
        assertEquals(List.of("train.learning_rate", "model.shortcut", "seed"), withZip.varying(),
                "the parent's grid is kept, its zip replaced");
        assertEquals(2 * 2 * 2, withZip.runs().size());

        Path none = file("none.yaml", "name: c", "extends: p.yaml", "zip: []", "seeds: [3]");
        ExperimentPlan noZip = ExperimentPlan.expand(ExperimentFiles.load(none));
        assertEquals(List.of("train.learning_rate"), noZip.varying(), "zip: [] drops the inherited zip");
        assertEquals("extends " + tmp.resolve("p.yaml") + ": keeps its grid (train.learning_rate); replaces its "
                + "zip (model.normalization+model.init), seeds [1, 2]", ExperimentFiles.inheritance(none));
        assertNull(ExperimentFiles.inheritance(tmp.resolve("p.yaml")));
    }

    @Test
    void aPathVariedTwiceOrSetInBaseAndVariedIsRefused() {
        parentWithGridZipAndSeeds();
        Path over = file("over.yaml", "name: c", "extends: p.yaml", "grid:", "  model.init: [he, zero-residual]");
        assertMentions(rejected(over), over + ", line 4: model.init is also varied by the axis inherited from "
                + tmp.resolve("p.yaml") + " model.normalization+model.init (" + tmp.resolve("p.yaml") + ", line 7)");
        Path base = file("base.yaml", "name: c", "extends: p.yaml", "base:", "  model.normalization: none");
        assertMentions(rejected(base), base + ", line 4: base.model.normalization: model.normalization is varied by "
                + "the axis inherited from " + tmp.resolve("p.yaml"), "zip: [] drops the inherited zip");
        Path parameter = file("param.yaml", "name: c", "extends: p.yaml", "base:",
                "  model.normalization.decay: 0.5");
        assertMentions(rejected(parameter), "line 4: base.model.normalization.decay: model.normalization is varied");
        Path own = file("own.yaml", "name: c", "base:", "  train.learning_rate: 0.1", "grid:",
                "  train.learning_rate: [0.01, 0.1]");
        assertMentions(rejected(own), own + ", line 3: base.train.learning_rate: train.learning_rate is varied by "
                + "the axis train.learning_rate", "set it in base or vary it, not both");
        Path both = file("both.yaml", "name: c", "grid:", "  model.init: [he, zero-residual]", "zip:",
                "  - {model.normalization: [batchnorm, none], model.init: [he, he]}");
        assertMentions(rejected(both), "line 5: model.init is also varied by the axis model.init");
        // the parent's base may set what the child varies
        Path lr = file("lr.yaml", "name: c", "extends: p.yaml", "base:", "  train.epochs: 1");
        assertEquals(8, ExperimentPlan.expand(ExperimentFiles.load(lr)).runs().size());
    }

    @Test
    void extendsFindsAReadyExperimentByName() {
        Home.install();
        Path child = file("child.yaml", "name: c", "extends: lr-sweep-short", "seeds: [7]");
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(child));
        assertEquals(6 * 3, plan.runs().size(), "lr-sweep-short's grid and zip, one seed");
        assertTrue(plan.runs().stream().allMatch(r -> r.spec().seed() == 7 && r.spec().train().epochs() == 2));
        // a file beside the child comes first, with or without .yaml
        file("lr-sweep-short.yaml", "name: beside", "grid:", "  model.depth: [8, 14]");
        assertEquals(List.of("model.depth"), ExperimentPlan.expand(ExperimentFiles.load(child)).varying());
    }

    // ---- each kind of bad file ----

    @Test
    void unknownTopLevelKey() {
        Path f = file("x.yaml", "name: x", "basis:", "  train.epochs: 2");
        String message = rejected(f);
        assertTrue(message.startsWith(f + ", line 2: unknown key 'basis'"), message);
        assertMentions(message, "known: analyze, base, contrasts, extends");
    }

    @Test
    void unknownSpecificationKeyUnderBase() {
        Path f = file("x.yaml", "name: x", "base:", "  train.epochs: 2", "  model.dept: 8");
        String message = rejected(f);
        assertTrue(message.startsWith(f + ", line 4: model.dept: unknown key"), message);
        assertMentions(message, "depth", "normalization");
    }

    @Test
    void wrongTypes() {
        Path epochs = file("epochs.yaml", "name: x", "base:", "  train.epochs: 2.5");
        String message = rejected(epochs);
        assertTrue(message.startsWith(epochs + ", line 3: train.epochs: "), message);
        assertMentions(message, "2.5");

        Path rate = file("rate.yaml", "name: x", "base:", "  model.depth: 8", "  train.learning_rate: \"fast\"");
        message = rejected(rate);
        assertTrue(message.startsWith(rate + ", line 4: train.learning_rate: "), message);
        assertMentions(message, "fast");

        Path init = file("init.yaml", "name: x", "grid:", "  model.init: [he, xavier]");
        message = rejected(init);
        assertTrue(message.startsWith(init + ", line 3: model.init: "), message);
        assertMentions(message, "xavier");
    }

    @Test
    void impossibleValue() {
        Path f = file("x.yaml", "name: x", "base:", "  model.depth: 21");
        String message = rejected(f);
        assertTrue(message.startsWith(f + ", line 3: model"), message);
        assertMentions(message, "depth 21 is not of the form 6n+2");

        Path grid = file("grid.yaml", "name: x", "grid:", "  model.depth: [8, 21]");
        message = rejected(grid);
        assertTrue(message.startsWith(grid + ", line 3: model"), message);
        assertMentions(message, "depth 21");
    }

    @Test
    void impossibleValueIsNamedAtItsOwnKeyAndLine() {
        Path f = file("x.yaml", "name: x", "base:", "  model.depth: 21", "  model.shortcut: B");
        assertTrue(rejected(f).startsWith(f + ", line 3: model.depth: depth 21"), rejected(f));
        Path zipped = file("z.yaml", "name: z", "base:", "  model.depth: 21", "zip:",
                "  - model.normalization: [batchnorm, none]", "    model.init: [he, he]");
        assertTrue(rejected(zipped).startsWith(zipped + ", line 3: model.depth"), rejected(zipped));
    }

    @Test
    void nestedKeysAreReportedAtTheirOwnLine() {
        Path f = file("x.yaml", "name: x", "base:", "  train:", "    batch_size: 32", "    epochs: 2.5");
        assertTrue(rejected(f).startsWith(f + ", line 5: train.epochs: "), rejected(f));
    }

    @Test
    void zipListsOfDifferentLength() {
        Path f = file("x.yaml", "name: x", "zip:", "  - model.normalization: [batchnorm, none, none]",
                "    model.init: [he, zero-residual]");
        String message = rejected(f);
        assertTrue(message.startsWith(f + ", line 3: "), message);
        assertMentions(message, "one length", "model.normalization has 3", "model.init has 2");
    }

    @Test
    void extendsCycle() {
        file("a.yaml", "name: a", "extends: b.yaml");
        file("b.yaml", "name: b", "extends: c.yaml");
        Path c = file("c.yaml", "name: c", "extends: a.yaml");
        String message = rejected(c);
        assertMentions(message, "'extends' makes a cycle", "c.yaml");
        Path self = file("self.yaml", "name: self", "extends: self.yaml");
        assertMentions(rejected(self), "self.yaml", "cycle");
    }

    @Test
    void missingFiles() {
        Path absent = tmp.resolve("absent.yaml");
        assertEquals("no experiment file " + absent, rejected(absent));
        Path child = file("child.yaml", "name: child", "extends: gone.yaml");
        assertMentions(rejected(child), child + ", line 2: extends: no experiment file gone.yaml beside child.yaml");
    }

    @Test
    void otherMistakes() {
        assertMentions(rejected(file("yaml.yaml", "name: x", "base: {a: 1", "grid: [")), "yaml.yaml", "not valid YAML");
        assertMentions(rejected(file("list.yaml", "- 1", "- 2")), "list.yaml", "must be a mapping");
        assertMentions(rejected(file("noname.yaml", "question: q")), "noname.yaml", "experiment name");
        assertMentions(rejected(file("name.yaml", "name: a/b")), "name.yaml", "'a/b'");
        assertMentions(rejected(file("seeds.yaml", "name: x", "seeds: [1, 1.5]")), "seeds.yaml, line 2", "1.5");
        assertMentions(rejected(file("twice.yaml", "name: x", "seeds: [1, 1]")), "twice.yaml", "seed twice");
        assertMentions(rejected(file("grid.yaml", "name: x", "grid:", "  train.epochs: 3")), "grid.yaml, line 3",
                "train.epochs must be a non-empty list");
        assertMentions(rejected(file("gridmap.yaml", "name: x", "grid: [1, 2]")), "gridmap.yaml, line 2",
                "grid must be a mapping");
        assertMentions(rejected(file("zip.yaml", "name: x", "zip:", "  model.init: [he]")), "zip.yaml, line 2",
                "zip must be a list");
        assertMentions(rejected(file("contrast.yaml", "name: x", "contrasts:", "  - \"batchnorm against none\"")),
                "contrast.yaml, line 3", "cannot read contrast");
        assertMentions(rejected(file("ref.yaml", "name: x", "references:",
                "  - {match: {model.depth: 20}, metric: accuracy, value: 91}")), "ref.yaml, line 3",
                "test_error_pct");
    }

    @Test
    void aKeyWrittenTwiceIsRefusedWithBothLines() {
        Path grid = file("grid.yaml", "name: x", "grid:", "  train.learning_rate: [0.01, 0.1]", "seeds: [1]",
                "grid:", "  model.depth: [8, 14]");
        assertEquals(grid + ", line 5: grid: written twice (first at line 2); a second one would silently replace "
                + "the first, so keep one", rejected(grid));
        assertMentions(rejected(file("seeds.yaml", "name: x", "seeds: [1, 2]", "seeds: [3]")),
                "seeds.yaml, line 3: seeds: written twice (first at line 2)");
        assertMentions(rejected(file("inner.yaml", "name: x", "base:", "  train:", "    epochs: 2", "    epochs: 3")),
                "inner.yaml, line 5: base.train.epochs: written twice (first at line 4)");
        // one setting spelt twice: as a dotted key and nested
        assertMentions(rejected(file("spelt.yaml", "name: x", "base:", "  model.depth: 8", "  model: {depth: 14}")),
                "spelt.yaml, line 4: base.model.depth: written twice (first at line 3)");
        // the same path in two zip entries is no duplicate of the file's keys
        Experiment zips = ExperimentFiles.load(file("zips.yaml", "name: x", "zip:",
                "  - {model.depth: [8, 14]}", "  - {model.init: [he, zero-residual]}", "contrasts:",
                "  - {treatment: {model.init: he}, baseline: {model.init: zero-residual}}",
                "  - {treatment: {model.depth: 8}, baseline: {model.depth: 14}}"));
        assertEquals(2, zips.axes().size());
    }

    @Test
    void anAliasIsItsAnchorsValue() {
        Experiment e = ExperimentFiles.load(file("alias.yaml",
                "name: x",
                "base:",
                "  train.learning_rate: &lr 0.05",
                "  train.groups.batchnorm.learning_rate: *lr",
                "  model: &model {depth: 8, init: he}",
                "grid:",
                "  train.batch_size: &sizes [32, 64]",
                "zip:",
                "  - {eval.batch_size: *sizes}",
                "seeds: [1]"));
        assertEquals(0.05, e.base().at("/train/groups/batchnorm/learning_rate").asDouble(), e.base().toString());
        assertEquals(8, e.base().at("/model/depth").asInt(), e.base().toString());
        assertEquals(List.of("32", "64"), e.axes().get(1).steps().stream()
                .map(step -> step.get(0).asText()).toList());
        ExperimentPlan plan = ExperimentPlan.expand(e);
        assertEquals(4, plan.runs().size());
        assertEquals(0.05, plan.runs().get(0).spec().train().groups().batchnorm().learningRate());
    }

    @Test
    void aliasesThatCannotBeResolvedAndMergeKeysAreRefused() {
        assertMentions(rejected(file("undefined.yaml", "name: x", "base:", "  train.learning_rate: *lr")),
                "undefined.yaml, line 3: base.train.learning_rate: alias *lr has no anchor &lr before it");
        assertMentions(rejected(file("itself.yaml", "name: x", "grid:", "  model.depth: &d [8, *d]")),
                "itself.yaml, line 3: grid.model.depth[1]: alias *d lies inside the value it names");
        assertMentions(rejected(file("merge.yaml", "name: x", "base:", "  train: &t {epochs: 2}", "  eval:",
                "    <<: *t")), "merge.yaml, line 5: base.eval.<<: merge keys (<<) are not read");
    }

    @Test
    void anAxisOverAKeyOutsideARunsIdentitySaysSoAndWhatToDoInstead() {
        Path target = file("target.yaml", "name: x", "grid:", "  eval.target_accuracy: [0.3, 0.5]");
        String message = rejected(target);
        assertTrue(message.startsWith(target + ", line 3: eval.target_accuracy: read only by the report, not by "
                + "training; to see another target, train once and run: bnlab report DIR --target-accuracy VALUE. "
                + "It is not part of a run's identity, so an axis over it trains no new run: experiment x expands to "
                + "the same run twice"), message);
        assertMentions(rejected(file("modes.yaml", "name: x", "grid:", "  train.epochs: [1, 2]",
                        "  eval.precise_batches: [10, 20]")), "modes.yaml, line 4: eval.precise_batches: read only by "
                        + "bnlab analyze", "bnlab analyze DIR --set eval.precise_batches=VALUE", "not part of a run's identity");
        assertMentions(rejected(file("probe.yaml", "name: x", "zip:",
                        "  - {measure.probe_layers: [[0], [1]]}")), "probe.yaml, line 3", "measure.probe_layers: read "
                        + "only by the report (the layers it plots)", "not part of a run's identity");
        assertMentions(rejected(file("root.yaml", "name: x", "grid:", "  data.root: [/a, /b]")),
                "root.yaml, line 3: data.root: says only where the data lives", "not part of a run's identity");
        // an axis over a key of the run's identity that repeats a value keeps the plain message
        assertMentions(rejected(file("lr.yaml", "name: x", "grid:", "  train.learning_rate: [0.1, 0.10]")),
                "expands to the same run twice", "two axis values resolve to one specification");
    }

    @Test
    void theBuilderSaysWhatAFileSays() {
        Experiment built = Experiment.builder("bn-vs-nobn")
                .set("data.dataset", "cifar10")
                .set("data.train_per_class", "1000")
                .set("data.test_per_class", "200")
                .set("train.epochs", "4")
                .set("train.learning_rate", "0.1")
                .zip(new java.util.LinkedHashMap<>(Map.of(
                        "model.normalization", List.of("batchnorm", "none", "none"))))
                .seeds(1, 2, 3)
                .build();
        // a zip of one column is a plain axis over normalization with a repeated value: ids collide
        SpecException e = assertThrows(SpecException.class, () -> ExperimentPlan.expand(built));
        assertMentions(e.getMessage(), "same run twice");

        java.util.LinkedHashMap<String, List<String>> arms = new java.util.LinkedHashMap<>();
        arms.put("model.normalization", List.of("batchnorm", "none", "none"));
        arms.put("model.init", List.of("he", "he", "zero-residual"));
        Experiment same = Experiment.builder("bn-vs-nobn")
                .set("data.dataset", "cifar10")
                .set("data.train_per_class", "600")
                .set("data.test_per_class", "200")
                .set("train.epochs", "4")
                .set("train.learning_rate", "0.1")
                .zip(arms)
                .seeds(1, 2, 3)
                .build();
        assertEquals(ExperimentPlan.expand(ExperimentFiles.load(Home.defaultExperiment())).runs().stream()
                        .map(PlannedRun::id).toList(),
                ExperimentPlan.expand(same).runs().stream().map(PlannedRun::id).toList());
    }
}
