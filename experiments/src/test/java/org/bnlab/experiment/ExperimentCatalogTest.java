package org.bnlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Every ready experiment file loads, expands and says what it is for. */
class ExperimentCatalogTest {

    static Path experimentsFolder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("experiments/bn-vs-nobn.yaml"))) {
                return dir.resolve("experiments");
            }
        }
        throw new IllegalStateException("no experiments/ folder above " + Path.of("").toAbsolutePath());
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> entries = Files.list(experimentsFolder())) {
            return entries.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyFileLoadsExpandsAndStatesItsQuestion() throws IOException {
        List<Path> files = files();
        assertTrue(files.size() >= 10, "the catalogue: " + files);
        for (Path file : files) {
            Experiment experiment = ExperimentFiles.load(file);
            String name = file.getFileName().toString().replace(".yaml", "");
            assertEquals(name, experiment.name(), file + ": name must match the file name");
            assertFalse(experiment.question().isBlank(), file + " states no question");
            assertFalse(experiment.source().isBlank(), file + " names no source");
            ExperimentPlan plan = ExperimentPlan.expand(experiment);
            assertFalse(plan.runs().isEmpty(), file + " expands to no run");
        }
    }

    @Test
    void everyShortVersionExtendsItsFullProtocolAndIsSmaller() throws IOException {
        for (Path file : files()) {
            String name = file.getFileName().toString();
            if (!name.endsWith("-short.yaml")) {
                continue;
            }
            Path full = file.resolveSibling(name.replace("-short.yaml", ".yaml"));
            assertTrue(Files.exists(full), file + " has no full version");
            assertTrue(Files.readString(file).contains("extends: " + full.getFileName()), file + " must extend "
                    + full.getFileName());
            ExperimentPlan shortPlan = ExperimentPlan.expand(ExperimentFiles.load(file));
            ExperimentPlan fullPlan = ExperimentPlan.expand(ExperimentFiles.load(full));
            long shortImages = shortPlan.runs().stream().mapToLong(ExperimentCatalogTest::imageSteps).sum();
            long fullImages = fullPlan.runs().stream().mapToLong(ExperimentCatalogTest::imageSteps).sum();
            assertTrue(shortImages < fullImages, file + " is not smaller than its full version");
        }
    }

    @Test
    void theReproductionShowsThePapersErrorsBesideEachDepthWithBatchNorm() {
        Experiment he = ExperimentFiles.load(experimentsFolder().resolve("he2016-cifar10.yaml"));
        assertEquals(10, he.references().size());
        ExperimentPlan plan = ExperimentPlan.expand(he);
        for (Reference reference : he.references()) {
            long matching = plan.runs().stream().filter(r -> r.assignments().entrySet()
                    .containsAll(reference.match().entrySet())).count();
            assertEquals(3, matching, "each reference matches its depth's BN runs, one per seed: " + reference);
        }
        // ResNet-110 alone warms up at 0.01 for 400 iterations
        plan.runs().forEach(r -> assertEquals(r.spec().model().depth() == 110 ? 400 : 0,
                r.spec().train().schedule().warmupIterations()));
    }

    @Test
    void theLandscapeExperimentMeasuresPlainTwentyWithAndWithoutBnNoBnFirst() {
        for (String file : List.of("santurkar2018-landscape.yaml", "santurkar2018-landscape-short.yaml")) {
            ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(experimentsFolder().resolve(file)));
            assertEquals(6, plan.runs().size(), file);
            // the report's ratios are to the first arm: no BN
            assertEquals("none", plan.runs().get(0).spec().model().normalization().type(), file);
            plan.runs().forEach(r -> {
                assertEquals(20, r.spec().model().depth(), file);
                assertEquals("none", r.spec().model().shortcut().id(), file);
                assertTrue(r.spec().measure().landscapeEvery() > 0, file);
                assertEquals(org.bnlab.spec.MeasureSpec.LANDSCAPE_STEPS, r.spec().measure().landscapeSteps());
            });
        }
        ExperimentPlan full = ExperimentPlan.expand(ExperimentFiles.load(experimentsFolder()
                .resolve("santurkar2018-landscape.yaml")));
        full.runs().forEach(r -> assertEquals(org.bnlab.measure.LandscapeMeasurement.BUDGETED_EVERY,
                r.spec().measure().landscapeEvery()));
    }

    @Test
    void plainVsResNetRunsBothNetworksAtThePapersDepthsWithTheSameRecipeAsTheReproduction() {
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(experimentsFolder()
                .resolve("he2016-plain-vs-resnet.yaml")));
        ExperimentPlan he = ExperimentPlan.expand(ExperimentFiles.load(experimentsFolder()
                .resolve("he2016-cifar10.yaml")));
        assertEquals(2 * 5 * 3, plan.runs().size());
        for (int depth : new int[]{20, 32, 44, 56, 110}) {
            for (String shortcut : List.of("none", "A")) {
                assertEquals(3, plan.runs().stream().filter(r -> r.spec().model().depth() == depth
                        && r.spec().model().shortcut().id().equals(shortcut)
                        && r.spec().model().normalization().type().equals("batchnorm")).count(), depth + shortcut);
            }
        }
        org.bnlab.spec.RunSpec resnet20 = he.runs().stream().filter(r -> r.spec().model().depth() == 20
                && r.spec().model().normalization().type().equals("batchnorm")).findFirst().orElseThrow().spec();
        plan.runs().forEach(r -> {
            assertEquals(resnet20.train().learningRate(),
                    r.spec().train().learningRate());
            assertEquals(resnet20.train().schedule().milestones(), r.spec().train().schedule().milestones());
            assertEquals(resnet20.train().batchSize(), r.spec().train().batchSize());
            assertEquals(resnet20.train().weightDecay(), r.spec().train().weightDecay());
            assertEquals(resnet20.data(), r.spec().data());
        });
        ExperimentPlan quick = ExperimentPlan.expand(ExperimentFiles.load(experimentsFolder()
                .resolve("he2016-plain-vs-resnet-short.yaml")));
        assertEquals(List.of("none", "A"), quick.runs().stream().map(r -> r.spec().model().shortcut().id())
                .distinct().toList(), "the short version still compares plain networks with ResNets");
        assertTrue(quick.runs().stream().map(r -> r.spec().model().depth()).distinct().count() >= 2);
    }

    @Test
    void bnSeparateTrainsEachGroupAloneAtTheFourDepthsWithTheReferencesOnTheBnOnlyArm() {
        Experiment separate = ExperimentFiles.load(experimentsFolder().resolve("bn-separate.yaml"));
        ExperimentPlan plan = ExperimentPlan.expand(separate);
        assertEquals(4 * 4 * 3, plan.runs().size(), "4 depths x 4 arms x 3 seeds");
        assertEquals(12, plan.runs().stream().filter(r -> r.spec().train().phases() != null).count(),
                "one alternating arm");
        assertEquals(java.util.Set.of(14, 32, 56, 110),
                plan.runs().stream().map(r -> r.spec().model().depth()).collect(java.util.stream.Collectors.toSet()));
        assertTrue(plan.runs().stream().noneMatch(r -> !r.spec().train().groups().batchnorm().trainable()
                && !r.spec().train().groups().weights().trainable()), "no arm freezes everything");
        assertEquals(2, separate.references().size());
        for (Reference reference : separate.references()) {
            List<PlannedRun> matching = plan.runs().stream().filter(r -> r.assignments().entrySet()
                    .containsAll(reference.match().entrySet())).toList();
            assertEquals(3, matching.size(), "one BN-only run per seed: " + reference);
            matching.forEach(r -> assertFalse(r.spec().train().groups().weights().trainable()));
        }
        for (Contrast contrast : separate.contrasts()) {
            for (Map<String, String> side : List.of(contrast.treatment(), contrast.baseline())) {
                assertEquals(12, plan.runs().stream().filter(r -> r.assignments().entrySet()
                        .containsAll(side.entrySet())).count(), contrast.name() + ": " + side);
            }
        }
    }

    @Test
    void bnLrScheduleGivesGammaAndBetaTheirOwnDecayAgainstTheSharedSchedule() {
        Experiment schedule = ExperimentFiles.load(experimentsFolder().resolve("bn-lr-schedule.yaml"));
        ExperimentPlan plan = ExperimentPlan.expand(schedule);
        assertEquals(2 * 3 * 3, plan.runs().size(), "2 weight decays x 3 schedules x 3 seeds");
        assertEquals(java.util.Set.of("null", "0.9", "0.95"), plan.runs().stream()
                .map(r -> r.spec().train().groups().batchnorm().schedule())
                .map(s -> s == null ? "null" : Double.toString(s.decayPerEpoch()))
                .collect(java.util.stream.Collectors.toSet()));
        for (Contrast contrast : schedule.contrasts()) {
            for (Map<String, String> side : List.of(contrast.treatment(), contrast.baseline())) {
                assertTrue(plan.runs().stream().anyMatch(r -> r.assignments().entrySet()
                        .containsAll(side.entrySet())), contrast.name() + " matches no run: " + side);
            }
        }
    }

    /** Training images times epochs when every class is subset; all images count as 5,000 per class. */
    private static long imageSteps(PlannedRun run) {
        int perClass = run.spec().data().trainPerClass() == 0 ? 5000 : run.spec().data().trainPerClass();
        return (long) perClass * run.spec().train().epochs() * run.spec().model().depth();
    }

    @Test
    void hofferGhostBnScalesTheLearningRateBySqrtOfTheBatch_ghostBatchesOnlyInsideTheLargeOne() throws IOException {
        for (String file : List.of("hoffer2017-ghost-bn.yaml", "hoffer2017-ghost-bn-short.yaml")) {
            ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(experimentsFolder().resolve(file)));
            ContrastCheck.check(plan);
            int large = plan.runs().stream().mapToInt(r -> r.spec().train().batchSize()).max().orElseThrow();
            for (PlannedRun run : plan.runs()) {
                int batch = run.spec().train().batchSize();
                assertEquals(0.1 * Math.sqrt(batch / 128.0), run.spec().train().learningRate(), 1e-4,
                        file + " " + run.id());
                if (run.spec().model().normalization() instanceof org.bnlab.norm.GhostBatchNorm ghost) {
                    assertEquals(large, batch, run.id());
                    assertTrue(ghost.virtualBatchSize() < batch, run.id());
                }
            }
            assertEquals(3, plan.experiment().seeds().size(), file);
            assertEquals(3, plan.experiment().contrasts().size(), file);
        }
    }

    @Test
    void ioffeBatchRenormPairsEachBatchSettingWithBnAndBatchRenorm_learningRateScaledLinearly() throws IOException {
        for (String file : List.of("ioffe2017-batch-renorm.yaml", "ioffe2017-batch-renorm-short.yaml")) {
            ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(experimentsFolder().resolve(file)));
            ContrastCheck.check(plan);
            Map<String, List<String>> normalizersBySetting = new java.util.TreeMap<>();
            for (PlannedRun run : plan.runs()) {
                int batch = run.spec().train().batchSize();
                int classes = run.spec().data().batchClasses();
                assertEquals(0.1 * batch / 128.0, run.spec().train().learningRate(), 1e-9, file + " " + run.id());
                assertTrue(classes == 0 || batch == 32, file + ": non-i.i.d. batches only at 32: " + run.id());
                if (run.spec().seed() == plan.experiment().seeds().get(0)) {
                    normalizersBySetting.computeIfAbsent(batch + "/" + classes, k -> new java.util.ArrayList<>())
                            .add(run.spec().model().normalization().type());
                }
            }
            assertEquals(Map.of("32/0", List.of("batchnorm", "batchrenorm"), "4/0", List.of("batchnorm",
                    "batchrenorm"), "32/2", List.of("batchnorm", "batchrenorm")), normalizersBySetting, file);
            assertEquals(3, plan.experiment().seeds().size(), file);
            assertEquals(5, plan.experiment().contrasts().size(), file);
        }
    }
}
