package org.bnlab.experiment;

import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.SpecException;
import org.bnlab.model.Initialization;
import org.bnlab.testing.ChildJvm;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Expanding an experiment into runs: how many, in which order, what {@code --set} and {@code --grid} do to the
 * axes, and run ids that are readable, unique and the same in every JVM.
 */
class ExperimentPlanTest {

    @TempDir
    Path tmp;

    private static final Experiment DEFAULT = ExperimentFiles.load(Home.defaultExperiment());

    /** 2 x 2 grid, a zip of 2 steps, 2 seeds: 16 runs. */
    private Experiment sweep() throws IOException {
        Path f = tmp.resolve("sweep.yaml");
        Files.writeString(f, String.join("\n",
                "name: sweep",
                "base:",
                "  model.depth: 8",
                "grid:",
                "  model.shortcut: [A, B]",
                "  train.learning_rate: [0.01, 0.1]",
                "zip:",
                "  - model.normalization: [batchnorm, none]",
                "    model.init: [he, zero-residual]",
                "seeds: [1, 2]") + "\n");
        return ExperimentFiles.load(f);
    }

    private static List<String> ids(ExperimentPlan plan) {
        return plan.runs().stream().map(PlannedRun::id).toList();
    }

    private static String label(PlannedRun run) {
        return run.id().substring(0, run.id().length() - 9);
    }

    @Test
    void theDefaultExperimentIsThreeArmsTimesThreeSeedsSeedsOutermost() {
        ExperimentPlan plan = ExperimentPlan.expand(DEFAULT);
        assertEquals(9, plan.runs().size());
        assertEquals(List.of("model.normalization", "model.init", "seed"), plan.varying());
        assertEquals(List.of(
                "normalization=batchnorm_init=he_seed=1", "normalization=none_init=he_seed=1",
                "normalization=none_init=zero-residual_seed=1",
                "normalization=batchnorm_init=he_seed=2", "normalization=none_init=he_seed=2",
                "normalization=none_init=zero-residual_seed=2",
                "normalization=batchnorm_init=he_seed=3", "normalization=none_init=he_seed=3",
                "normalization=none_init=zero-residual_seed=3"),
                plan.runs().stream().map(ExperimentPlanTest::label).toList());
        for (PlannedRun run : plan.runs()) {
            assertEquals(plan.runs().indexOf(run), run.index());
            assertEquals(20, run.spec().model().depth());
            assertEquals(4, run.spec().train().epochs());
            assertEquals(0.1, run.spec().train().learningRate());
            assertEquals(600, run.spec().data().trainPerClass());
            assertEquals(200, run.spec().data().testPerClass());
            assertEquals(Map.of("model.normalization", run.spec().model().normalization().type(),
                    "model.init", run.spec().model().init().id(), "seed", Long.toString(run.spec().seed())),
                    run.assignments());
        }
        assertEquals(NoNorm.DEFAULT, plan.runs().get(2).spec().model().normalization());
        assertEquals(Initialization.ZERO_RESIDUAL, plan.runs().get(2).spec().model().init());
        assertEquals(BatchNorm.DEFAULT, plan.runs().get(0).spec().model().normalization());
    }

    @Test
    void gridTimesZipTimesSeedsInAxisOrderWithTheLastAxisFastest() throws IOException {
        ExperimentPlan plan = ExperimentPlan.expand(sweep());
        assertEquals(2 * 2 * 2 * 2, plan.runs().size());
        assertEquals(List.of("model.shortcut", "train.learning_rate", "model.normalization", "model.init", "seed"),
                plan.varying());
        assertEquals(List.of(
                "shortcut=A_learning_rate=0.01_normalization=batchnorm_init=he_seed=1",
                "shortcut=A_learning_rate=0.01_normalization=none_init=zero-residual_seed=1",
                "shortcut=A_learning_rate=0.1_normalization=batchnorm_init=he_seed=1",
                "shortcut=A_learning_rate=0.1_normalization=none_init=zero-residual_seed=1",
                "shortcut=B_learning_rate=0.01_normalization=batchnorm_init=he_seed=1"),
                plan.runs().subList(0, 5).stream().map(ExperimentPlanTest::label).toList());
        assertTrue(plan.runs().subList(0, 8).stream().allMatch(r -> r.spec().seed() == 1), "seeds outermost");
        assertTrue(plan.runs().subList(8, 16).stream().allMatch(r -> r.spec().seed() == 2));
        assertTrue(plan.runs().stream().allMatch(r -> r.spec().model().depth() == 8), "base applies to all");
    }

    @Test
    void runsWithoutSeedsUseTheSpecificationsSeedAndNeedNoSeedInTheirId() throws IOException {
        Path f = tmp.resolve("x.yaml");
        Files.writeString(f, "name: x\ngrid:\n  train.epochs: [1, 2]\n");
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(f));
        assertEquals(List.of("epochs=1", "epochs=2"), plan.runs().stream().map(ExperimentPlanTest::label).toList());
        assertTrue(plan.runs().stream().allMatch(r -> r.spec().seed() == 42));
        Path one = tmp.resolve("one.yaml");
        Files.writeString(one, "name: one\n");
        ExperimentPlan single = ExperimentPlan.expand(ExperimentFiles.load(one));
        assertEquals(1, single.runs().size());
        assertEquals(single.runs().get(0).hash(), single.runs().get(0).id(), "nothing varies: the id is the hash");
    }

    @Test
    void idsAreReadableAndEndInTheSpecificationsHash() throws IOException {
        ExperimentPlan plan = ExperimentPlan.expand(sweep());
        Set<String> hashes = new HashSet<>();
        for (PlannedRun run : plan.runs()) {
            assertTrue(run.id().matches("[A-Za-z0-9._=+-]+_[0-9a-f]{8}"), run.id());
            assertEquals(SpecCodec.hash(run.spec()), run.hash());
            assertTrue(run.id().endsWith("_" + run.hash()));
            assertTrue(hashes.add(run.hash()), "unique: " + run.id());
        }
        assertEquals(16, new HashSet<>(ids(plan)).size());
    }

    @Test
    void whereTheDataLivesDoesNotChangeTheIds() throws IOException {
        assertEquals(ids(ExperimentPlan.expand(sweep())),
                ids(ExperimentPlan.expand(sweep(), List.of("data.root=/elsewhere", "data.download=false"), List.of())));
        assertNotEquals(ids(ExperimentPlan.expand(sweep())),
                ids(ExperimentPlan.expand(sweep(), List.of("train.epochs=5"), List.of())));
    }

    @Test
    void setNarrowsAZippedAxisToTheStepsWithThatValue() {
        ExperimentPlan he = ExperimentPlan.expand(DEFAULT, List.of("model.init=he"), List.of());
        assertEquals(List.of("normalization=batchnorm_seed=1", "normalization=none_seed=1",
                "normalization=batchnorm_seed=2", "normalization=none_seed=2",
                "normalization=batchnorm_seed=3", "normalization=none_seed=3"),
                he.runs().stream().map(ExperimentPlanTest::label).toList());
        assertEquals(List.of("model.normalization", "seed"), he.varying(), "init no longer varies");
        assertTrue(he.runs().get(0).id().startsWith("normalization=batchnorm_seed=1_"), he.runs().get(0).id());

        ExperimentPlan none = ExperimentPlan.expand(DEFAULT, List.of("model.normalization=none"), List.of());
        assertEquals(6, none.runs().size());
        assertEquals(List.of("model.init", "seed"), none.varying());
    }

    @Test
    void narrowingKeepsTheHashOfTheRunsThatStay() {
        Map<String, String> all = new java.util.HashMap<>();
        ExperimentPlan.expand(DEFAULT).runs().forEach(r -> all.put(r.hash(), r.id()));
        for (PlannedRun run : ExperimentPlan.expand(DEFAULT, List.of("model.init=zero-residual", "seed=2"), List.of())
                .runs()) {
            assertTrue(all.containsKey(run.hash()), "a narrowed run is the same run (same folder hash): " + run.id());
        }
    }

    @Test
    void setOutsideAZippedAxisNamesTheValuesItTakes() {
        SpecException e = assertThrows(SpecException.class, () -> ExperimentPlan.expand(DEFAULT,
                List.of("model.normalization=batchnorm", "model.init=zero-residual"), List.of()));
        assertTrue(e.getMessage().startsWith("--set model.init=zero-residual: model.init moves together with"),
                e.getMessage());
        assertTrue(e.getMessage().contains("[he]"), e.getMessage());
    }

    @Test
    void setReplacesAPlainAxisAndSetsAnyOtherPathForEveryRun() throws IOException {
        ExperimentPlan plan = ExperimentPlan.expand(sweep(),
                List.of("train.learning_rate=0.5", "train.epochs=1", "model.shortcut=B"), List.of());
        assertEquals(2 * 2, plan.runs().size(), "two plain axes narrowed to one value each");
        assertEquals(List.of("model.normalization", "model.init", "seed"), plan.varying());
        for (PlannedRun run : plan.runs()) {
            assertEquals(0.5, run.spec().train().learningRate());
            assertEquals(1, run.spec().train().epochs());
            assertEquals(org.bnlab.model.Shortcut.B, run.spec().model().shortcut());
        }
        ExperimentPlan decay = ExperimentPlan.expand(sweep(), List.of("model.normalization=batchnorm",
                "model.normalization.decay=0.99"), List.of());
        assertTrue(decay.runs().stream().allMatch(r -> r.spec().model().normalization()
                .equals(new BatchNorm(0.99, 1e-5))), "a BN parameter after the axis value batchnorm");
    }

    @Test
    void setOfABatchNormParameterLeavesTheNoBatchNormArmsAlone() {
        ExperimentPlan plan = ExperimentPlan.expand(DEFAULT, List.of("model.normalization.decay=0.99"), List.of());
        assertEquals(9, plan.runs().size());
    }

    @Test
    void setSeedRunsOneSeedAndGridSeedSeveral() throws IOException {
        ExperimentPlan one = ExperimentPlan.expand(sweep(), List.of("seed=2"), List.of());
        assertEquals(8, one.runs().size());
        assertTrue(one.runs().stream().allMatch(r -> r.spec().seed() == 2));
        assertFalse(one.varying().contains("seed"));
        ExperimentPlan three = ExperimentPlan.expand(sweep(), List.of(), List.of("seed=7,8,9"));
        assertEquals(24, three.runs().size());
        assertEquals(7, three.runs().get(0).spec().seed());
        assertEquals(9, three.runs().get(23).spec().seed());
    }

    @Test
    void gridAddsAnAxisOrReplacesOne() throws IOException {
        ExperimentPlan added = ExperimentPlan.expand(DEFAULT, List.of(), List.of("train.batch_size=64,128"));
        assertEquals(18, added.runs().size());
        assertEquals(List.of("model.normalization", "model.init", "train.batch_size", "seed"), added.varying());
        assertTrue(label(added.runs().get(0)).equals("normalization=batchnorm_init=he_batch_size=64_seed=1"),
                added.runs().get(0).id());
        assertEquals(128, added.runs().get(1).spec().train().batchSize(), "the added axis varies fastest");

        ExperimentPlan replaced = ExperimentPlan.expand(sweep(), List.of(), List.of("train.learning_rate=1,2,3"));
        assertEquals(2 * 3 * 2 * 2, replaced.runs().size());
        assertEquals(Set.of(1.0, 2.0, 3.0), replaced.runs().stream().map(r -> r.spec().train().learningRate())
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void gridValuesWithCommasInsideBracketsBracesOrQuotesAreOneValueEach() {
        Experiment plain = Experiment.builder("x").set("model.depth", "8").build();
        ExperimentPlan milestones = ExperimentPlan.expand(plain, List.of(),
                List.of("train.schedule.milestones=[0.5,0.75],[0.3, 0.6]"));
        assertEquals(List.of(List.of(0.5, 0.75), List.of(0.3, 0.6)), milestones.runs().stream()
                .map(r -> r.spec().train().schedule().milestones()).toList());
        ExperimentPlan norms = ExperimentPlan.expand(plain, List.of(),
                List.of("model.normalization={type: batchnorm, decay: 0.5},none"));
        assertEquals(2, norms.runs().size());
        assertEquals(NoNorm.DEFAULT, norms.runs().get(1).spec().model().normalization());
        assertEquals(List.of("'a,b'", "\"c,[d\"", "e"), ExperimentPlan.gridValues("'a,b', \"c,[d\",e", "x"));

        for (String bad : List.of("train.learning_rate=0.1,,1", "train.learning_rate=0.1,",
                "train.schedule.milestones=[0.5,0.75", "train.schedule.milestones=0.5]", "data.root='a,b")) {
            String message = assertThrows(SpecException.class,
                    () -> ExperimentPlan.expand(plain, List.of(), List.of(bad))).getMessage();
            assertTrue(message.startsWith("--grid " + bad + ": "), message);
            assertFalse(message.contains("\n"), message);
        }
    }

    @Test
    void gridOnAPathOfAZipIsRefusedNotLaidOverIt() {
        String message = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(DEFAULT, List.of(), List.of("model.init=he,zero-residual"))).getMessage();
        assertTrue(message.startsWith("--grid model.init=he,zero-residual: model.init moves together with "
                + "[model.normalization, model.init] in a zip ("), message);
    }

    @Test
    void twoPathsWithTheSameLastNameAreNamedInFull() {
        ExperimentPlan plan = ExperimentPlan.expand(Experiment.builder("x").grid("train.batch_size", "64", "128")
                .grid("eval.batch_size", "100", "200").build());
        assertEquals(Map.of("train.batch_size", "train.batch_size", "eval.batch_size", "eval.batch_size"),
                plan.shortNames());
        assertTrue(plan.runs().get(0).id().startsWith("train.batch_size=64_eval.batch_size=100_"),
                plan.runs().get(0).id());
    }

    @Test
    void duplicateRunsAreDetected() throws IOException {
        SpecException same = assertThrows(SpecException.class, () -> ExperimentPlan.expand(
                Experiment.builder("dup").grid("train.learning_rate", "0.1", "0.10").build()));
        assertTrue(same.getMessage().contains("experiment dup expands to the same run twice"), same.getMessage());
        // a value equal to the default is the same run as the default
        assertThrows(SpecException.class, () -> ExperimentPlan.expand(
                Experiment.builder("dup").grid("model.normalization", "batchnorm", "{type: batchnorm, decay: 0.9}")
                        .build()));
        // --grid of a value an axis already has
        assertThrows(SpecException.class, () -> ExperimentPlan.expand(sweep(), List.of(), List.of("seed=1,1")));
    }

    @Test
    void badSetsAndGrids() {
        assertEquals("--set train.epochs: expected path=value, e.g. train.learning_rate=0.01",
                assertThrows(SpecException.class,
                        () -> ExperimentPlan.expand(DEFAULT, List.of("train.epochs"), List.of())).getMessage());
        assertTrue(assertThrows(SpecException.class, () -> ExperimentPlan.expand(DEFAULT, List.of("=3"), List.of()))
                .getMessage().startsWith("--set =3: expected path=value"));
        String unknown = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(DEFAULT, List.of("train.epoch=3"), List.of())).getMessage();
        assertTrue(unknown.startsWith("--set train.epoch: unknown key"), unknown);
        String impossible = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(DEFAULT, List.of("model.depth=21"), List.of())).getMessage();
        assertTrue(impossible.startsWith("--set model.depth: depth 21"), impossible);
        String type = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(DEFAULT, List.of("train.epochs=two"), List.of())).getMessage();
        assertTrue(type.startsWith("--set train.epochs: expected a whole number"), type);
        assertTrue(assertThrows(SpecException.class, () -> ExperimentPlan.expand(DEFAULT, List.of(),
                List.of("seed=1.5"))).getMessage().startsWith("--grid seed=1.5: a seed must be an integer"));
        assertTrue(assertThrows(SpecException.class, () -> ExperimentPlan.expand(DEFAULT, List.of(),
                List.of("train.epochs"))).getMessage().startsWith("--grid train.epochs: expected path=value"));
        String gridValue = assertThrows(SpecException.class, () -> ExperimentPlan.expand(DEFAULT, List.of(),
                List.of("model.depth=8,21"))).getMessage();
        assertTrue(gridValue.startsWith("--grid model.depth=8,21: model.depth: depth 21"), gridValue);
    }

    @Test
    void findAndAtSelectOneRun() {
        ExperimentPlan plan = ExperimentPlan.expand(DEFAULT);
        PlannedRun fifth = plan.runs().get(4);
        assertSame(fifth, plan.find(fifth.id()));
        assertSame(fifth, plan.find(label(fifth)));
        assertSame(fifth, plan.find(fifth.hash()));
        assertSame(fifth, plan.at(4));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plan.find("nope")).getMessage()
                .contains("has no run 'nope'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plan.at(9)).getMessage()
                .contains("0 to 8"));
        assertThrows(IllegalArgumentException.class, () -> plan.at(-1));
    }

    @Test
    void idsAreTheSameInAnotherJvm() throws Exception {
        Path log = tmp.resolve("ids.txt");
        ChildJvm child = ChildJvm.start(log, PrintPlanIds.class.getName(), Home.defaultExperiment().toString());
        assertEquals(0, child.waitFor(600), child.output()); // a hang guard only: a loaded machine can be slow
        List<String> theirs = child.output().lines().filter(l -> l.matches(".*_[0-9a-f]{8}")).toList();
        assertEquals(ids(ExperimentPlan.expand(DEFAULT)), theirs, child.output());
    }

    @Test
    void aLongLabelIsCutAndTheHashKeepsTheIdsApart() throws IOException {
        // many long varying values: the label alone would be longer than a file name may be
        String wide = String.join(", ", java.util.Collections.nCopies(60, "512"));
        Path f = tmp.resolve("wide.yaml");
        Files.writeString(f, String.join("\n",
                "name: wide",
                "base:",
                "  model.architecture: mlp",
                "zip:",
                "  - model.hidden: [[" + wide + ", 256], [" + wide + ", 128], [64]]",
                "    train.learning_rate: [0.01, 0.02, 0.03]") + "\n");
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(f));
        assertEquals(3, plan.runs().size());
        assertEquals(3, Set.copyOf(ids(plan)).size(), "unique");
        for (PlannedRun run : plan.runs()) {
            assertTrue(run.id().length() <= ExperimentPlan.MAX_LABEL + 9, run.id().length() + ": " + run.id());
            assertTrue(run.id().endsWith("_" + run.hash()), run.id());
            Files.createDirectory(tmp.resolve(run.id())); // a file name the file system takes
        }
        assertEquals("hidden=-64-_learning_rate=0.03_" + plan.runs().get(2).hash(), plan.runs().get(2).id(),
                "a short label is left as it is");
        assertEquals(ExperimentPlan.MAX_LABEL + 9, plan.runs().get(0).id().length());
    }

    @Test
    void aGridTooLargeIsRefusedBeforeItIsExpanded() throws IOException {
        String ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
        Path f = tmp.resolve("huge.yaml");
        Files.writeString(f, String.join("\n",
                "name: huge",
                "base:",
                "  train.epochs: 0", // every run invalid: expanding even one would fail otherwise
                "grid:",
                "  train.learning_rate: " + ten,
                "  train.batch_size: " + ten,
                "  eval.batch_size: " + ten,
                "  model.depth: [8, 14, 20, 26, 32, 44]",
                "  data.train_per_class: " + ten,
                "seeds: [1, 2]") + "\n");
        SpecException e = assertThrows(SpecException.class, () -> ExperimentPlan.expand(ExperimentFiles.load(f)));
        assertEquals("experiment huge expands to 10 x 10 x 10 x 6 x 10 x 2 seeds = 120000 runs, more than the 100000 a"
                + " plan may have; narrow an axis (--set) or split the grid", e.getMessage());
    }
}
