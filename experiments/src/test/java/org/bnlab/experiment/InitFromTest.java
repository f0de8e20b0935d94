package org.bnlab.experiment;

import org.bnlab.results.RunStatus;
import org.bnlab.model.KernelPath;
import org.bnlab.results.RunFolder;
import org.bnlab.spec.ExecutionSpec;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.SpecException;
import org.bnlab.testing.Backend;
import org.bnlab.testing.TinyExperiment;
import org.bnlab.train.ParameterTransfer;
import org.bnlab.train.TrainingProgress;
import org.bnlab.train.TrainingRecipe;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code model.init_from}: a run that starts from another run's trained network (all parameters, or its BN layers'
 * gamma, beta, running mean and variance). The source is selected in the plan, ordered first and hashed into the
 * target's hash; the runner copies the source's final checkpoint into the fresh target, on both kernel paths, and
 * refuses with one line to start from a source that has not finished.
 */
@ExtendWith(Backend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitFromTest {

    static final String BN_FROM_SOURCE = "{match: {train.learning_rate: 0.05}, parameters: batchnorm}";
    static final String ALL_FROM_SOURCE = "{match: {train.learning_rate: 0.05}, parameters: all}";

    @TempDir
    static Path tmp;

    ExperimentPlan plan;
    List<ExperimentRunner.RunResult> results;
    String log;

    /**
     * Targets first in the file, so that the plan must reorder them; the source trains at learning rate 0.05, the
     * targets at 0.02; on both kernel paths.
     */
    static ExperimentPlan plan(String sourceMomentum) {
        Map<String, List<String>> arms = new LinkedHashMap<>();
        arms.put("model.init_from", List.of(BN_FROM_SOURCE, ALL_FROM_SOURCE, "null"));
        arms.put("train.learning_rate", List.of("0.02", "0.02", "0.05"));
        arms.put("train.momentum", List.of("0.9", "0.9", sourceMomentum));
        return ExperimentPlan.expand(TinyExperiment.builder("transfer").zip(arms)
                .grid("execution.kernels", "onednn", "dl4j").seeds(3).build());
    }

    @BeforeAll
    void trainOnce() {
        plan = plan("0.9");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        results = new ExperimentRunner(TrainingProgress.silent(), new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run(plan, plan.runs(), tmp.resolve("out"));
        log = bytes.toString(StandardCharsets.UTF_8);
    }

    private static PlannedRun run(ExperimentPlan plan, String parameters, KernelPath kernels) {
        return plan.runs().stream()
                .filter(r -> r.spec().execution().kernels() == kernels)
                .filter(r -> parameters == null ? r.spec().model().initFrom() == null
                        : r.spec().model().initFrom() != null
                        && r.spec().model().initFrom().parameters().equals(parameters))
                .findFirst().orElseThrow();
    }

    @Test
    void eachSourceIsPlannedBeforeTheRunsThatStartFromIt() {
        assertEquals(6, plan.runs().size());
        for (int i = 0; i < plan.runs().size(); i++) {
            assertEquals(i, plan.runs().get(i).index(), "renumbered");
        }
        for (KernelPath kernels : KernelPath.values()) {
            PlannedRun source = run(plan, null, kernels);
            for (String parameters : List.of("batchnorm", "all")) {
                PlannedRun target = run(plan, parameters, kernels);
                assertEquals(new PlannedRun.Source(source.index(), source.id(), source.hash(), parameters),
                        target.source());
                assertTrue(source.index() < target.index(), plan.runs().toString());
                assertTrue(target.id().endsWith("_" + target.hash()));
            }
            assertNull(source.source());
            assertEquals(SpecCodec.hash(source.spec()), source.hash(), "a run without a source: its own hash");
        }
    }

    @Test
    void aTargetsHashIncludesItsSourcesHash() {
        ExperimentPlan changed = plan("0.8");
        PlannedRun before = run(plan, "batchnorm", KernelPath.DL4J);
        PlannedRun after = run(changed, "batchnorm", KernelPath.DL4J);
        assertEquals(before.spec(), after.spec(), "the target's own specification is the same");
        assertNotEquals(before.source().hash(), after.source().hash());
        assertNotEquals(before.hash(), after.hash(), "a changed source makes a new target");
        assertEquals(before.hash(), plan("0.9").runs().get(before.index()).hash(), "and the same source the same");
    }

    @Test
    void aSourceThatMatchesNoRunOrSeveralOrACycleIsOneClearError() {
        Map<String, List<String>> none = new LinkedHashMap<>();
        none.put("model.init_from", List.of("{match: {train.learning_rate: 0.3}, parameters: batchnorm}", "null"));
        none.put("train.learning_rate", List.of("0.02", "0.05"));
        SpecException e = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(TinyExperiment.builder("t").zip(none).build()));
        assertTrue(e.getMessage().contains("selects no run of experiment t"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Map<String, List<String>> cycle = new LinkedHashMap<>();
        cycle.put("model.init_from", List.of("{match: {train.learning_rate: 0.05}, parameters: all}",
                "{match: {train.learning_rate: 0.02}, parameters: all}"));
        cycle.put("train.learning_rate", List.of("0.02", "0.05"));
        e = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(TinyExperiment.builder("t").zip(cycle).build()));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());

        Map<String, List<String>> several = new LinkedHashMap<>();
        several.put("model.init_from", List.of(BN_FROM_SOURCE, "null", "null"));
        several.put("train.learning_rate", List.of("0.02", "0.05", "0.05"));
        several.put("train.momentum", List.of("0.9", "0.9", "0.8"));
        e = assertThrows(SpecException.class,
                () -> ExperimentPlan.expand(TinyExperiment.builder("t").zip(several).build()));
        assertTrue(e.getMessage().contains("selects 2 runs") && e.getMessage().contains("add the setting that tells"
                + " them apart to match"), e.getMessage());
    }

    @Test
    void everyRunTrainsAndTheTargetsSayWhereTheyStarted() {
        for (ExperimentRunner.RunResult r : results) {
            assertTrue(r.trained(), r.failure());
        }
        for (KernelPath kernels : KernelPath.values()) {
            PlannedRun target = run(plan, "batchnorm", kernels);
            assertTrue(log.contains(target.id() + ": starting from run " + target.source().id()
                    + ": batchnorm parameters of"), log);
            ExperimentRecord.Run record = ExperimentRecord.readRun(tmp.resolve("out").resolve(target.id()))
                    .orElseThrow();
            assertEquals(target.source(), record.initFrom());
            assertEquals(target.spec(), org.bnlab.spec.ConfigJson.read(
                    tmp.resolve("out").resolve(target.id()).resolve("config.json")));
        }
    }

    @Test
    void aRunWithoutSourceHasNoInitFromInItsConfigJsonAndReadsBack() throws Exception {
        PlannedRun source = run(plan, null, KernelPath.ONEDNN);
        String config = Files.readString(tmp.resolve("out").resolve(source.id()).resolve("config.json"));
        assertFalse(config.contains("init_from"), config);
        assertEquals(source.spec(), org.bnlab.spec.ConfigJson.read(tmp.resolve("out").resolve(source.id())
                .resolve("config.json")));
        assertTrue(Files.readString(tmp.resolve("out").resolve(run(plan, "all", KernelPath.ONEDNN).id())
                .resolve("config.json")).contains("\"init_from\""));
    }

    /** The fresh target network of {@code run}, as the runner builds it. */
    private static ComputationGraph fresh(PlannedRun run, int numClasses) {
        RunSpec spec = run.spec();
        TrainingRecipe training = RunNetwork.recipe(spec.train(), spec.seed());
        return RunNetwork.fresh(spec, RunNetwork.input(spec, spec.data().imageSize(), 3, numClasses), training, 3);
    }

    private static ComputationGraph trainedSource(ExperimentPlan plan, KernelPath kernels) {
        PlannedRun source = run(plan, null, kernels);
        return ParameterTransfer.trainedNetwork(ExperimentRecord.folderOf(tmp.resolve("out"), source)
                .checkpointFile());
    }

    @Test
    void aTransferredBnLayerStartsWithTheSourcesFinalValuesOnBothKernelPaths() {
        for (KernelPath sourceKernels : KernelPath.values()) {
            for (KernelPath targetKernels : KernelPath.values()) {
                ComputationGraph source = trainedSource(plan, sourceKernels);
                ComputationGraph target = fresh(run(plan, "batchnorm", targetKernels), 10);
                ComputationGraph untouched = fresh(run(plan, "batchnorm", targetKernels), 10);
                List<String> copied = ParameterTransfer.copy(source, target, true);
                int bnLayers = 0;
                for (Layer layer : target.getLayers()) {
                    String name = layer.getConfig().getLayerName();
                    Map<String, INDArray> params = layer.paramTable();
                    if (layer instanceof BatchNormalization) {
                        bnLayers++;
                        assertTrue(copied.contains(name));
                        assertEquals(4, params.size(), name + ": gamma, beta, mean and variance " + params.keySet());
                        for (Map.Entry<String, INDArray> p : params.entrySet()) {
                            INDArray trained = source.getLayer(name).getParam(p.getKey());
                            assertEquals(trained, p.getValue(), sourceKernels + " -> " + targetKernels + ": " + name
                                    + " " + p.getKey());
                            assertNotEquals(untouched.getLayer(name).getParam(p.getKey()), p.getValue(),
                                    name + " " + p.getKey() + " was trained away from its initial value");
                        }
                    } else {
                        assertFalse(copied.contains(name));
                        for (Map.Entry<String, INDArray> p : params.entrySet()) {
                            assertEquals(untouched.getLayer(name).getParam(p.getKey()), p.getValue(),
                                    name + " " + p.getKey() + " keeps its fresh initialisation");
                        }
                    }
                }
                assertEquals(7, bnLayers, "ResNet-8: one BN after the stem and two per block");
            }
        }
    }

    @Test
    void allParametersAreCopiedForTheSameNetworkAndRefusedForAnother() {
        ComputationGraph source = trainedSource(plan, KernelPath.ONEDNN);
        ComputationGraph target = fresh(run(plan, "all", KernelPath.ONEDNN), 10);
        ParameterTransfer.copy(source, target, false);
        assertEquals(source.params(), target.params());

        ComputationGraph hundred = fresh(run(plan, "all", KernelPath.ONEDNN), 100);
        INDArray before = hundred.params().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterTransfer.copy(source, hundred, false));
        assertTrue(e.getMessage().startsWith("cannot copy parameter"), e.getMessage());
        assertEquals(before, hundred.params(), "a refused copy changes nothing");
        ParameterTransfer.copy(source, hundred, true); // BN parameters: same shapes whatever the classes
    }

    @Test
    void aTargetWhoseSourceHasNotFinishedFailsWithOneLineNamingIt() throws Exception {
        PlannedRun target = run(plan, "batchnorm", KernelPath.DL4J);
        Path out = tmp.resolve("alone");
        List<ExperimentRunner.RunResult> alone = new ExperimentRunner(TrainingProgress.silent(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(plan, List.of(target), out);
        assertEquals(RunStatus.FAILED, alone.get(0).status());
        String message = alone.get(0).failure();
        assertEquals("run " + target.id() + " starts from run " + target.source().id() + " (index "
                + target.source().index() + "), which is pending; train it first (bnlab run FILE --index "
                + target.source().index() + ")", message);
        RunFolder folder = ExperimentRecord.folderOf(out, target);
        assertFalse(Files.exists(folder.checkpointFile()), "nothing trained");
    }
}
