package org.bnlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bnlab.model.Architecture;
import org.bnlab.report.ExperimentReport;
import org.bnlab.results.RunStatus;
import org.bnlab.testing.Backend;
import org.bnlab.testing.ClassFolders;
import org.bnlab.testing.IdxFixtures;
import org.bnlab.testing.TinyCifar;
import org.bnlab.train.TrainingProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Every ready experiment's short version runs end to end on a tiny slice of generated data: the file's own grid is
 * expanded (one seed), every run finishes or diverges (none fails), runs that start from another run find it, the
 * analysis phase runs where the file asks for it, and the report (tables, {@code report.md}, training curves) is
 * written from the results folder alone. The data root holds
 * a generated CIFAR-10 (binary), Imagenette (class folders) and Fashion-MNIST (IDX), so that the files need no edit
 * but their sizes: 4 training and 2 test images per class, one epoch, ResNet-8 where the file does not vary the
 * depth.
 */
@ExtendWith(Backend.class)
class ShortVersionsEndToEndTest {

    @TempDir
    static Path tmp;

    private static Path dataRoot;
    /** Training images per class where batches come from few classes: a batch of 32 from 2 classes needs 16. */
    private static final int CLASS_BATCH_IMAGES = 16;

    @BeforeAll
    static void writeTinyData() throws IOException {
        dataRoot = tmp.resolve("data");
        TinyCifar.write(dataRoot, CLASS_BATCH_IMAGES, 2);
        List<String> classes = IntStream.range(0, 10).mapToObj(k -> String.format("n%08d", k)).toList();
        Path imagenette = ClassFolders.write(dataRoot.resolve("imagenette2-224"), classes, 4, 2);
        Files.move(imagenette.resolve("test"), imagenette.resolve("val"));
        IdxFixtures.write(dataRoot.resolve("fashion-mnist"), 40, 20, 3);
    }

    static List<String> shortVersions() throws IOException {
        return ExperimentCatalogTest.files().stream().map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith("-short.yaml")).toList();
    }

    @ParameterizedTest
    @MethodSource("shortVersions")
    void runsEndToEndOnATinySlice(String file) throws IOException {
        Experiment experiment = ExperimentFiles.load(ExperimentCatalogTest.experimentsFolder().resolve(file));
        List<String> sets = new ArrayList<>(List.of("data.root=" + dataRoot, "data.download=false",
                "data.train_per_class=4", "data.test_per_class=2", "train.epochs=1", "eval.batch_size=20",
                "measure.activation_stats_every=1"));
        List<PlannedRun> full = ExperimentPlan.expand(experiment).runs();
        if (full.stream().anyMatch(r -> r.spec().data().batchClasses() > 0)) {
            sets.set(2, "data.train_per_class=" + CLASS_BATCH_IMAGES);
        }
        if (full.stream().anyMatch(r -> r.spec().data().validationPerClass() > 0)) {
            sets.add("data.validation_per_class=1");
        }
        boolean oneResNetDepth = full.stream().allMatch(r -> r.spec().model().architecture() == Architecture.RESNET)
                && full.stream().map(r -> r.spec().model().depth()).distinct().count() == 1;
        if (oneResNetDepth) {
            sets.add("model.depth=8"); // where depth is not what the experiment varies, the smallest ResNet will do
        }
        ExperimentPlan plan = ExperimentPlan.expand(experiment, sets, List.of("seed=1"));
        int fullRuns = full.size();
        assertTrue(plan.runs().size() >= 2, file + ": a comparison needs at least two runs");
        assertTrue(plan.runs().size() * 3 >= fullRuns, file + ": one seed of the grid, not fewer arms");

        Path out = tmp.resolve(experiment.name());
        List<ExperimentRunner.RunResult> results = new ExperimentRunner(TrainingProgress.silent(),
                new PrintStream(new ByteArrayOutputStream())).run(plan, plan.runs(), out);
        assertEquals(plan.runs().size(), results.size(), file);
        for (ExperimentRunner.RunResult result : results) {
            String run = file + " " + result.run().id();
            assertTrue(result.trained(), run + ": " + result.failure());
            RunStatus status = result.summary().status();
            assertTrue(status == RunStatus.COMPLETED || status == RunStatus.DIVERGED, run + ": " + status);
        }

        if (experiment.analyze()) { // the analysis phase, as bnlab run does it, in the modes of the file
            org.bnlab.analysis.runner.Analyzer.Outcome analysed = new org.bnlab.analysis.runner.Analyzer(
                    new PrintStream(new ByteArrayOutputStream())).analyze(out, List.of(), null);
            long completed = results.stream().filter(r -> r.summary().status() == RunStatus.COMPLETED).count();
            assertEquals(completed, analysed.analysed(), file + ": every completed run analysed");
        }
        ExperimentReport report = ExperimentReport.build(out, plan.runs().get(0).spec().eval().targetAccuracy());
        report.writeTo(out);
        assertEquals(plan.runs().size(), report.runs().rowCount(), file + ": one row per run in runs.csv");
        for (String written : List.of(ExperimentReport.RUNS_CSV, ExperimentReport.OVER_SEEDS_CSV,
                ExperimentReport.MARKDOWN, "plots/training-curves.png")) {
            assertTrue(Files.size(out.resolve(written)) > 0, file + ": " + written + " not written");
        }
        assertFalse(report.toMarkdown().isBlank(), file);
    }
}
