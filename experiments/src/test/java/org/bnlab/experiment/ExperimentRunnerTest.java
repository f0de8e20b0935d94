package org.bnlab.experiment;

import org.bnlab.report.ExperimentReport;
import org.bnlab.results.ActivationRow;
import org.bnlab.results.ProbeRow;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunLock;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.SpecException;
import org.bnlab.testing.Backend;
import org.bnlab.testing.TinyExperiment;
import org.bnlab.train.TrainingProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The runner end to end on a tiny generated CIFAR-10 (ResNet-8, 40 training images, 2 epochs): the files of a run
 * folder, the resolved specification in {@code config.json}, same seed same numbers, a crashed run resumed to
 * exactly the uninterrupted run's numbers and files, divergence recorded as an outcome, runs locked by another
 * process left to it, and finished runs skipped. Two runs are trained once for the whole class and reused.
 */
@ExtendWith(Backend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentRunnerTest {

    private static final org.bnlab.results.RecordFile<ActivationRow> ACTIVATIONS =
            org.bnlab.measure.ActivationStatsMeasurement.RECORDS;
    private static final org.bnlab.results.RecordFile<org.bnlab.results.ProbeRow> PROBE =
            org.bnlab.measure.ProbeMeasurement.RECORDS;

    @TempDir
    static Path tmp;

    /** BN with He init, and no BN with zero-initialised residual branches; one seed. */
    ExperimentPlan plan;
    Path uninterrupted;
    List<ExperimentRunner.RunResult> results;
    String log;

    @BeforeAll
    void trainTheTwoRunsOnce() {
        Map<String, List<String>> arms = new LinkedHashMap<>();
        arms.put("model.normalization", List.of("batchnorm", "none"));
        arms.put("model.init", List.of("he", "zero-residual"));
        plan = ExperimentPlan.expand(TinyExperiment.builder("tiny").question("Does it run?").zip(arms).seeds(7)
                .set("measure.probe_every", "2")
                .contrast(new Contrast("BN vs no-BN", Map.of("model.normalization", "batchnorm"),
                        Map.of("model.normalization", "none", "model.init", "zero-residual")))
                .build());
        uninterrupted = tmp.resolve("uninterrupted");
        Log out = new Log();
        results = new ExperimentRunner(TrainingProgress.silent(), out.stream).run(plan, plan.runs(), uninterrupted);
        log = out.text();
    }

    private static final class Log {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static RunFolder folder(Path out, PlannedRun run) {
        return RunFolder.at(out.resolve(run.id()));
    }

    private PlannedRun bn() {
        return plan.runs().get(0);
    }

    @Test
    void everyRunIsTrainedIntoAFolderNamedByItsId() throws Exception {
        assertEquals(2, results.size());
        for (ExperimentRunner.RunResult r : results) {
            assertTrue(r.trained(), r.failure());
            RunSummary s = r.summary();
            assertEquals(r.run().id(), s.run());
            assertEquals(RunStatus.COMPLETED, s.status());
            assertEquals(2, s.epochsCompleted());
            assertEquals(2, s.epochsPlanned());
            assertEquals(40, s.trainImages());
            assertEquals(20, s.testImages());
            assertEquals(7, s.seed());
            assertEquals(8, s.depth());
            assertEquals("resnet8", s.model());
            assertEquals(r.run().spec().model().normalization().type(), s.normalization());
            assertEquals(r.run().spec().model().init().id(), s.init());
            RunFolder folder = folder(uninterrupted, r.run());
            assertTrue(folder.isFinished());
            assertEquals(s, folder.readSummary().orElseThrow());
            assertEquals(2, folder.readMetrics().size());
            assertTrue(Files.exists(folder.environmentFile()));
            com.fasterxml.jackson.databind.JsonNode outside = org.bnlab.spec.SpecCodec.json()
                    .readTree(Files.readString(folder.environmentFile())).path("seconds_outside_epochs");
            assertTrue(outside.isNumber() && outside.asDouble() >= 0, "the start-up plan calibrates from: " + outside);
            assertTrue(Files.exists(folder.checkpointFile()), "kept for a later extension of the run");
            assertFalse(Files.exists(folder.dir().resolve(RunLock.FILE)), "the lock is released");
            assertFalse(Files.exists(folder.failureFile()));
            assertEquals(RunStatus.COMPLETED, RunState.of(uninterrupted, r.run()).status());
            assertTrue(RunState.of(uninterrupted, r.run()).isFinished());
        }
        assertTrue(log.contains("[run 1/2] " + bn().id() + ": starting"), log);
        assertTrue(log.contains("[run 2/2] " + plan.runs().get(1).id() + ": starting"), log);
        assertTrue(log.contains("time left: run"), log);
    }

    @Test
    void configJsonIsTheResolvedSpecificationAndReadsBackEqual() throws Exception {
        for (PlannedRun run : plan.runs()) {
            Path config = folder(uninterrupted, run).configFile();
            RunSpec read = org.bnlab.spec.ConfigJson.read(config);
            assertEquals(run.spec(), read);
            assertEquals(run.hash(), SpecCodec.hash(read));
            assertEquals(org.bnlab.spec.ConfigJson.write(run.spec()), Files.readString(config));
            assertTrue(Files.readString(config).contains("\"schema_version\" : " + ExperimentRecord.SCHEMA_VERSION));
        }
    }

    @Test
    void runJsonAndExperimentJsonDescribeThePlan() {
        for (PlannedRun run : plan.runs()) {
            ExperimentRecord.Run record = ExperimentRecord.readRun(folder(uninterrupted, run).dir()).orElseThrow();
            assertEquals(new ExperimentRecord.Run(ExperimentRecord.SCHEMA_VERSION, "tiny", run.index(), run.id(),
                    run.hash(), run.assignments()), record);
        }
        ExperimentRecord experiment = ExperimentRecord.read(uninterrupted).orElseThrow();
        assertEquals("tiny", experiment.name());
        assertEquals("Does it run?", experiment.question());
        assertEquals(List.of("model.normalization", "model.init"), experiment.varying());
        assertEquals(plan.runs().stream().map(PlannedRun::id).toList(),
                experiment.runs().stream().map(ExperimentRecord.Run::id).toList());
        assertEquals("BN vs no-BN", experiment.contrasts().get(0).name());
    }

    @Test
    void activationSnapshotsAreRecordedEveryTwoSteps() {
        // 40 images in batches of 16: 3 steps per epoch, snapshots at iterations 0 and 2, then 4
        List<ActivationRow> rows = ACTIVATIONS.read(folder(uninterrupted, bn()));
        assertEquals(List.of(0L, 2L, 4L), rows.stream().map(ActivationRow::iteration).distinct().toList());
        assertEquals(Set.of(1, 2), rows.stream().map(ActivationRow::epoch).collect(toSet()));
        assertEquals("stem_conv", rows.get(0).stats().layer());
    }

    @Test
    void probeSnapshotsAreRecordedEveryTwoStepsForEachWeightLayer() {
        // before the steps of iterations 0, 2 and 4; ResNet-8 has 7 convolutions and the classifier
        for (PlannedRun run : plan.runs()) {
            List<ProbeRow> rows = PROBE.read(folder(uninterrupted, run));
            assertEquals(List.of(0L, 2L, 4L), rows.stream().map(ProbeRow::iteration).distinct().toList());
            assertEquals(3 * 8, rows.size());
            assertEquals("stem_conv", rows.get(0).layer());
            assertEquals("fc", rows.get(7).layer());
            boolean bn = run == bn();
            assertEquals(bn ? "stem_bn" : "stem_conv", rows.get(0).preActivation());
            assertTrue(rows.stream().allMatch(r -> Double.isFinite(r.p50())), rows.toString());
            // zero-residual initialisation zeroes the classifier, so at first no gradient reaches the convolutions
            assertEquals(bn, rows.get(0).gradientNorm() > 0, rows.get(0).toString());
            assertTrue(rows.get(7).gradientNorm() > 0, rows.get(7).toString());
        }
    }

    @Test
    void theResultsFolderReports() {
        ExperimentReport report = ExperimentReport.build(uninterrupted, 0.2);
        assertEquals(List.of("run", "normalization", "init", "seed", "status", "diverged_epoch", "epochs",
                "final_test_acc_pct", "best_test_acc_pct", "epochs_to_target", "steps_to_target", "seconds_to_target"),
                report.runs().columnNames());
        assertEquals(2, report.runs().rowCount());
        assertEquals(1, report.contrasts().rowCount());
        assertEquals("BN vs no-BN", report.contrasts().stringColumn("contrast").get(0));
        assertFalse(report.activations().isEmpty());
    }

    @Test
    void theReportPlotsAndSummarisesTheProbe() throws Exception {
        Path out = tmp.resolve("report");
        Files.createDirectories(out);
        ExperimentReport.build(uninterrupted, 0.2).writeTo(out);
        List<String> lines = Files.readAllLines(out.resolve("probe-summary.csv"));
        assertTrue(lines.get(0).startsWith("arm,layer,runs,first_iteration,last_iteration,p15_first"), lines.get(0));
        assertEquals(1 + 2 * 8, lines.size(), "two arms, eight weight layers each");
        // the BN arm's stem: one seed, so its numbers are its run's, at iterations 0 and 4
        ProbeRow first = PROBE.read(folder(uninterrupted, bn())).get(0);
        String[] stem = lines.get(1).replaceAll("^\"[^\"]*\"", "arm").split(",", -1);
        assertEquals(List.of("stem_conv", "1", "0", "4"), List.of(stem[1], stem[2], stem[3], stem[4]));
        assertEquals(first.p50(), Double.parseDouble(stem[6]), 1e-5 * Math.abs(first.p50()));
        assertEquals(first.gradientNorm(), Double.parseDouble(stem[11]), 1e-5 * first.gradientNorm());
        // the first, a middle and the last weight layer are plotted
        for (String layer : List.of("stem_conv", "s2b1_1_conv", "fc")) {
            assertTrue(Files.size(out.resolve("plots/probe-" + layer + ".png")) > 1000, layer);
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("plots/probe-fc.png"));
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndFiles() throws Exception {
        Path again = tmp.resolve("again");
        List<ExperimentRunner.RunResult> second = new ExperimentRunner(TrainingProgress.silent(), new Log().stream)
                .run(plan, List.of(bn()), again);
        assertTrue(second.get(0).trained());
        assertSameNumbers(folder(uninterrupted, bn()).readMetrics(), folder(again, bn()).readMetrics());
        assertEquals(Files.readString(ACTIVATIONS.in(folder(uninterrupted, bn()))),
                Files.readString(ACTIVATIONS.in(folder(again, bn()))), "same seed, same activations.csv");
        assertEquals(Files.readString(PROBE.in(folder(uninterrupted, bn()))),
                Files.readString(PROBE.in(folder(again, bn()))), "same seed, same probe.csv");
    }

    @Test
    void aCrashedRunResumesToExactlyTheUninterruptedNumbers() throws Exception {
        Path out = tmp.resolve("crashed");
        RunFolder folder = folder(out, bn());

        // the machine goes down when epoch 2 starts
        Log first = new Log();
        List<ExperimentRunner.RunResult> crashed = new ExperimentRunner(new CrashAtEpochStart(2), first.stream)
                .run(plan, List.of(bn()), out);
        assertEquals(RunStatus.FAILED, crashed.get(0).status());
        assertTrue(crashed.get(0).failure().contains("simulated crash"), crashed.get(0).failure());
        assertTrue(first.text().contains(": failed: simulated crash"), first.text());
        assertFalse(folder.isFinished());
        assertEquals(1, folder.readMetrics().size());
        assertEquals(Set.of(1), ACTIVATIONS.read(folder).stream().map(ActivationRow::epoch).collect(toSet()));
        assertTrue(Files.exists(folder.checkpointFile()));
        assertFalse(Files.exists(folder.dir().resolve(RunLock.FILE)), "a failed run releases its lock");
        RunState state = RunState.of(out, bn());
        assertEquals(RunStatus.FAILED, state.status());
        assertEquals(1, state.epochs());
        assertTrue(state.detail().contains("simulated crash"), state.toString());

        // resumed, and down again once epoch 2's metrics and activations are written, before its checkpoint
        Log second = new Log();
        assertEquals(RunStatus.FAILED, new ExperimentRunner(new CrashAtEpochEnd(2), second.stream)
                .run(plan, List.of(bn()), out).get(0).status());
        assertTrue(second.text().contains("resuming after epoch 1"), second.text());
        assertEquals(2, folder.readMetrics().size());
        assertEquals(Set.of(1, 2), ACTIVATIONS.read(folder).stream().map(ActivationRow::epoch).collect(toSet()));

        // resumed from the epoch-1 checkpoint: epoch 2 is trained again and its rows replaced, not added
        Log third = new Log();
        List<ExperimentRunner.RunResult> resumed = new ExperimentRunner(TrainingProgress.silent(), third.stream)
                .run(plan, List.of(bn()), out);
        assertTrue(resumed.get(0).trained(), resumed.get(0).failure());
        assertTrue(third.text().contains(": resuming after epoch"), third.text());
        assertTrue(folder.isFinished());
        assertFalse(Files.exists(folder.failureFile()), "failed.txt goes once the run succeeds");
        assertSameNumbers(folder(uninterrupted, bn()).readMetrics(), folder.readMetrics());
        assertEquals(Files.readString(ACTIVATIONS.in(folder(uninterrupted, bn()))),
                Files.readString(ACTIVATIONS.in(folder)), "the resumed run's activations.csv is the uninterrupted one's");
        assertEquals(Files.readString(PROBE.in(folder(uninterrupted, bn()))),
                Files.readString(PROBE.in(folder)), "the resumed run's probe.csv is the uninterrupted one's");
        RunSummary a = folder(uninterrupted, bn()).readSummary().orElseThrow();
        RunSummary b = folder.readSummary().orElseThrow();
        assertEquals(a.finalTestAccuracy(), b.finalTestAccuracy());
        assertEquals(a.bestTestAccuracy(), b.bestTestAccuracy());
        assertEquals(a.epochsCompleted(), b.epochsCompleted());

        // finished: skipped, even by a runner that would crash
        Log fourth = new Log();
        List<ExperimentRunner.RunResult> skipped = new ExperimentRunner(new CrashAtEpochStart(1), fourth.stream)
                .run(plan, List.of(bn()), out);
        assertTrue(skipped.get(0).alreadyFinished());
        assertEquals(b, skipped.get(0).summary());
        assertTrue(fourth.text().contains(": already finished (completed), skipped"), fourth.text());
    }

    @Test
    void theResumeMessageNamesTheCheckpointsEpoch() {
        Path out = tmp.resolve("resume-message");
        new ExperimentRunner(new CrashAtEpochEnd(2), new Log().stream).run(plan, List.of(bn()), out);
        Log log = new Log();
        new ExperimentRunner(TrainingProgress.silent(), log.stream).run(plan, List.of(bn()), out);
        assertTrue(log.text().contains(": resuming after epoch 1 "), log.text());
    }

    @Test
    void aRunLockedByAnotherProcessIsLeftToIt() {
        Path out = tmp.resolve("locked");
        try (RunLock held = RunLock.tryAcquire(folder(out, bn()).dir()).orElseThrow()) {
            Log log = new Log();
            List<ExperimentRunner.RunResult> r = new ExperimentRunner(new CrashAtEpochStart(1), log.stream)
                    .run(plan, List.of(bn()), out);
            assertEquals(RunStatus.RUNNING, r.get(0).status());
            assertNull(r.get(0).summary());
            assertTrue(log.text().contains(": locked by "), log.text());
            assertTrue(log.text().contains("pid " + ProcessHandle.current().pid()), log.text());
            assertEquals(RunStatus.RUNNING, RunState.of(out, bn()).status());
        }
        assertEquals(RunStatus.PENDING, RunState.of(out, bn()).status());
    }

    @Test
    void aFolderMadeWithAnotherSpecificationIsNotReused() throws Exception {
        Path out = tmp.resolve("other");
        RunFolder folder = folder(out, bn());
        Files.createDirectories(folder.dir());
        folder.writeConfig(org.bnlab.spec.ConfigJson.write(bn().spec().withSeed(99)));
        List<ExperimentRunner.RunResult> r = new ExperimentRunner(TrainingProgress.silent(), new Log().stream)
                .run(plan, List.of(bn()), out);
        assertEquals(RunStatus.FAILED, r.get(0).status());
        assertTrue(r.get(0).failure().contains("different specification"), r.get(0).failure());
        assertFalse(Files.exists(folder.failureFile()), "nothing written into another run's folder");
        assertFalse(Files.exists(folder.metricsFile()), "nothing trained");
        assertEquals(org.bnlab.spec.ConfigJson.write(bn().spec().withSeed(99)), Files.readString(folder.configFile()));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void anotherNameForTheSameDataKeepsFinishedAndInterruptedRuns() throws Exception {
        Path out = tmp.resolve("same-data-named-otherwise");
        Files.createDirectories(out);
        copyTree(uninterrupted.resolve(bn().id()), out.resolve(bn().id()));
        PlannedRun second = plan.runs().get(1);
        assertEquals(RunStatus.FAILED, new ExperimentRunner(new CrashAtEpochStart(2), new Log().stream)
                .run(plan, List.of(second), out).get(0).status(), "interrupted after epoch 1");

        // where the data is, said another way (as a Slurm script does), is not what the runs are
        String root = TinyExperiment.dataRoot().getParent() + "/./" + TinyExperiment.dataRoot().getFileName();
        ExperimentPlan moved = ExperimentPlan.expand(plan.experiment(),
                List.of("data.root=" + root, "data.download=false"), List.of());
        assertEquals(plan.runs().stream().map(PlannedRun::id).toList(),
                moved.runs().stream().map(PlannedRun::id).toList());
        Log log = new Log();
        List<ExperimentRunner.RunResult> r = new ExperimentRunner(TrainingProgress.silent(), log.stream)
                .run(moved, moved.runs(), out);
        assertTrue(r.get(0).alreadyFinished(), log.text());
        assertTrue(r.get(1).trained(), log.text());
        assertTrue(log.text().contains(": resuming after epoch 1 "), log.text());
        for (PlannedRun run : moved.runs()) {
            RunFolder folder = folder(out, run);
            assertTrue(folder.isFinished(), run.id());
            assertFalse(Files.exists(folder.failureFile()), "no failed.txt: " + run.id());
            assertEquals(org.bnlab.spec.ConfigJson.write(run.spec()), Files.readString(folder.configFile()),
                    "config.json records where the data is now");
            assertEquals(root, org.bnlab.spec.ConfigJson.read(folder.configFile()).data().root());
        }
        assertSameNumbers(folder(uninterrupted, second).readMetrics(), folder(out, second).readMetrics());
    }

    @Test
    void aSettingOnlyTheReportOrAnalyzeReadsIsNotANewRun() throws Exception {
        ExperimentPlan other = ExperimentPlan.expand(plan.experiment(), List.of("eval.target_accuracy=0.5",
                "eval.modes=[running, precise]", "eval.calibration_bins=10"), List.of());
        assertEquals(plan.runs().stream().map(PlannedRun::id).toList(),
                other.runs().stream().map(PlannedRun::id).toList());
        for (PlannedRun run : other.runs()) {
            assertEquals(RunStatus.COMPLETED, RunState.of(uninterrupted, run).status(), run.id());
        }
        Path out = tmp.resolve("report-only");
        copyTree(uninterrupted, out);
        List<ExperimentRunner.RunResult> r = new ExperimentRunner(new CrashAtEpochStart(1), new Log().stream)
                .run(other, other.runs(), out);
        for (ExperimentRunner.RunResult result : r) {
            assertTrue(result.alreadyFinished(), result.failure());
            RunSpec recorded = org.bnlab.spec.ConfigJson.read(folder(out, result.run()).configFile());
            assertEquals(0.5, recorded.eval().targetAccuracy(), "config.json holds the settings as now planned");
            assertEquals(List.of("running", "precise"), recorded.eval().modes());
        }
    }

    @Test
    void aFolderNamedWhenTheHashStillCoveredReportSettingsIsFound() throws Exception {
        // runs of an experiment with a report-only setting away from its default were named by another hash
        Path out = Files.createDirectories(tmp.resolve("named-before"));
        String label = bn().id().substring(0, bn().id().length() - bn().hash().length());
        Path old = out.resolve(label + "0badf00d");
        copyTree(uninterrupted.resolve(bn().id()), old);
        assertEquals(old, ExperimentRecord.folderOf(out, bn()).dir());
        assertEquals(RunStatus.COMPLETED, RunState.of(out, bn()).status());
        ExperimentRecord.Run recorded = ExperimentRecord.runOf(plan.experiment().name(), bn());
        assertEquals(RunStatus.COMPLETED, RunState.of(out, recorded).status(), "also from experiment.json");

        // a folder of the same label holding another run is not
        Path foreign = out.resolve(plan.runs().get(1).id().replace(plan.runs().get(1).hash(), "0badf00e"));
        copyTree(uninterrupted.resolve(plan.runs().get(1).id()), foreign);
        RunFolder.at(foreign).writeConfig(org.bnlab.spec.ConfigJson.write(plan.runs().get(1).spec().withSeed(99)));
        assertEquals(out.resolve(plan.runs().get(1).id()), ExperimentRecord.folderOf(out, plan.runs().get(1)).dir());
    }

    @Test
    void anExistingFolderWithTheSameHashIsReused() throws Exception {
        Path out = tmp.resolve("renamed");
        Path old = Files.createDirectories(out.resolve("an-older-label_" + bn().hash()));
        assertEquals(old, ExperimentRecord.folderOf(out, bn()).dir());
        assertEquals(out.resolve(plan.runs().get(1).id()), ExperimentRecord.folderOf(out, plan.runs().get(1)).dir());
    }

    @Test
    void divergenceIsAnOutcomeNotAFailure() throws Exception {
        ExperimentPlan exploding = ExperimentPlan.expand(TinyExperiment.builder("exploding")
                .set("model.normalization", "none").set("train.learning_rate", "10000")
                .set("measure.activation_stats_every", "0").build());
        PlannedRun run = exploding.runs().get(0);
        Path out = tmp.resolve("exploding");
        Log log = new Log();
        ExperimentRunner.RunResult r = new ExperimentRunner(TrainingProgress.silent(), log.stream)
                .run(exploding, exploding.runs(), out).get(0);
        assertTrue(r.trained(), r.failure());
        RunSummary s = r.summary();
        assertEquals(RunStatus.DIVERGED, s.status());
        assertEquals(1, s.divergedEpoch());
        assertEquals(0, s.epochsCompleted());
        assertNotNull(s.divergedReason());
        assertTrue(log.text().contains("diverged in epoch 1"), log.text());
        RunFolder folder = folder(out, run);
        assertFalse(Files.exists(folder.checkpointFile()), "nothing to resume");
        assertFalse(Files.exists(ACTIVATIONS.in(folder)), "activation statistics were off");
        RunState state = RunState.of(out, run);
        assertEquals(RunStatus.DIVERGED, state.status());
        assertTrue(state.isFinished());
        assertTrue(new ExperimentRunner(TrainingProgress.silent(),
                new Log().stream).run(exploding, exploding.runs(), out).get(0).alreadyFinished(), "a diverged run is done");
    }

    @Test
    void aPlainNetworkDivergesAsAResNetDoes() throws Exception {
        // the same exploding run with and without shortcuts: the guard sees only the loss, so both are DIVERGED
        // in epoch 1 with the same kind of reason, and both are finished runs that are not trained again
        Map<String, RunSummary> byShortcut = new LinkedHashMap<>();
        for (String shortcut : List.of("A", "none")) {
            ExperimentPlan exploding = ExperimentPlan.expand(TinyExperiment.builder("exploding-" + shortcut)
                    .set("model.shortcut", shortcut).set("model.normalization", "none")
                    .set("train.learning_rate", "10000").set("measure.activation_stats_every", "0").build());
            PlannedRun run = exploding.runs().get(0);
            Path out = tmp.resolve("exploding-shortcut-" + shortcut);
            Log log = new Log();
            ExperimentRunner.RunResult r = new ExperimentRunner(TrainingProgress.silent(), log.stream)
                    .run(exploding, exploding.runs(), out).get(0);
            assertTrue(r.trained(), r.failure());
            assertTrue(log.text().contains("diverged in epoch 1"), shortcut + ": " + log.text());
            assertTrue(RunState.of(out, run).isFinished(), shortcut);
            assertFalse(Files.exists(folder(out, run).checkpointFile()), shortcut + ": nothing to resume");
            byShortcut.put(shortcut, r.summary());
        }
        RunSummary resnet = byShortcut.get("A");
        RunSummary plain = byShortcut.get("none");
        assertEquals("resnet8", resnet.model());
        assertEquals("plain8", plain.model());
        for (RunSummary s : byShortcut.values()) {
            assertEquals(RunStatus.DIVERGED, s.status(), s.model());
            assertEquals(1, s.divergedEpoch(), s.model());
            assertEquals(0, s.epochsCompleted(), s.model());
            assertNull(s.finalTestAccuracy(), s.model());
            assertTrue(s.divergedReason().startsWith("loss ") && s.divergedReason().contains(" at iteration "),
                    s.model() + ": " + s.divergedReason());
        }
    }

    @Test
    void aRunThatDivergedInItsFirstEpochHasNoFinalAccuracy() {
        ExperimentPlan exploding = ExperimentPlan.expand(TinyExperiment.builder("exploding")
                .set("model.normalization", "none").set("train.learning_rate", "10000")
                .set("measure.activation_stats_every", "0").build());
        RunSummary s = new ExperimentRunner(TrainingProgress.silent(), new Log().stream)
                .run(exploding, exploding.runs(), tmp.resolve("exploding-final")).get(0).summary();
        assertEquals(0, s.epochsCompleted());
        assertNull(s.finalTestAccuracy());
        assertNull(s.bestTestAccuracy());
    }

    @Test
    void badDataStopsTheGridBeforeAnythingIsWritten() {
        ExperimentPlan noData = ExperimentPlan.expand(TinyExperiment.builder("nodata")
                .set("data.root", "\"" + tmp.resolve("nothing-here") + "\"").build());
        Path out = tmp.resolve("nodata-out");
        assertThrows(org.bnlab.data.DatasetException.class, () -> new ExperimentRunner(TrainingProgress.silent(),
                new Log().stream).run(noData, noData.runs(), out));
        assertFalse(Files.exists(out), "the results folder it created is removed again");
    }

    @Test
    void anUnwritableResultsFolderIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentRunner.requireWritable(file.resolve("out")));
        assertTrue(e.getMessage().contains(file.resolve("out").toString()) && e.getMessage().contains("--out"),
                e.getMessage());
    }

    @Test
    void readConfigRejectsOldAndBrokenFiles() throws Exception {
        Path old = Files.writeString(tmp.resolve("old.json"), SpecCodec.toJson(RunSpec.DEFAULT));
        SpecException e = assertThrows(SpecException.class, () -> org.bnlab.spec.ConfigJson.read(old));
        assertTrue(e.getMessage().startsWith(old + ": written by an older bnlab"), e.getMessage());
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"schema_version\": 2,");
        assertTrue(assertThrows(SpecException.class, () -> org.bnlab.spec.ConfigJson.read(broken)).getMessage()
                .startsWith(broken + ": not well-formed JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> org.bnlab.spec.ConfigJson.read(tmp.resolve("absent.json"))).getMessage().contains("absent.json"));
    }

    static void assertSameNumbers(List<EpochMetrics> expected, List<EpochMetrics> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            EpochMetrics x = expected.get(i);
            EpochMetrics y = actual.get(i);
            assertEquals(x.epoch(), y.epoch());
            assertEquals(x.learningRate(), y.learningRate());
            assertEquals(x.trainLoss(), y.trainLoss(), "train loss, epoch " + x.epoch());
            assertEquals(x.trainAccuracy(), y.trainAccuracy());
            assertEquals(x.testLoss(), y.testLoss(), "test loss, epoch " + x.epoch());
            assertEquals(x.testAccuracy(), y.testAccuracy());
        }
    }

    /** A crash (say, the machine going down) when the given epoch starts. */
    private record CrashAtEpochStart(int epoch) implements TrainingProgress {
        @Override
        public void epochStarted(String run, int e, int epochs, int batches) {
            if (e == epoch) {
                throw new IllegalStateException("simulated crash at the start of epoch " + e);
            }
        }

        @Override
        public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
        }

        @Override
        public void epochDone(String run, EpochMetrics metrics) {
        }
    }

    /** A crash once the given epoch's metrics and activations are written, before its checkpoint. */
    private record CrashAtEpochEnd(int epoch) implements TrainingProgress {
        @Override
        public void epochStarted(String run, int e, int epochs, int batches) {
        }

        @Override
        public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
        }

        @Override
        public void epochDone(String run, EpochMetrics metrics) {
            if (metrics.epoch() == epoch) {
                throw new IllegalStateException("simulated crash after epoch " + epoch);
            }
        }
    }
}
