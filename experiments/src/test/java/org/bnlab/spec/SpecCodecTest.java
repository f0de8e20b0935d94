package org.bnlab.spec;

import org.bnlab.norm.NoNorm;
import org.bnlab.norm.BatchNorm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bnlab.data.Layout;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.model.Shortcut;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The run specification as text: YAML and JSON round trips, the plain-text normalization, strict reading (unknown
 * keys, wrong types, impossible values named by path and origin), editing by dotted path, and the identity hash.
 */
class SpecCodecTest {

    /** Every setting away from its default, BN with its own parameters. */
    static final RunSpec EVERYTHING_CHANGED = new RunSpec(
            new DataSpec("cifar100", "/data/sets", 32, 0, 0.25, 10, 5, false, false, true, 4),
            new ModelSpec(org.bnlab.model.Architecture.RESNET, 56, Shortcut.B, new BatchNorm(0.99, 1e-3),
                    Initialization.ZERO_RESIDUAL, List.of(),
                    new InitFromSpec(java.util.Map.of("data.dataset",
                            com.fasterxml.jackson.databind.node.TextNode.valueOf("imagenette")), InitFromSpec.BATCHNORM)),
            new TrainSpec(7, 64, org.bnlab.train.Optimizer.SGD, 0.05, 0.8, 5e-4,
                    new ScheduleSpec(List.of(0.3, 0.6, 0.9), 0.2, 400, 0.02), 50,
                    new GroupsSpec(new GroupSpec(true, 0.02, new GroupScheduleSpec("exponential", 0.95), 5e-5),
                            new GroupSpec(false, null, null, null)), null),
            new EvalSpec(100, 0.55),
            new MeasureSpec(0),
            new ExecutionSpec(Layout.NCHW, KernelPath.DL4J),
            -7);

    /** No BN, a constant learning rate (no milestones), a root that looks like a number. */
    static final RunSpec NO_BN = withModel(RunSpec.DEFAULT.withSeed(3),
            new ModelSpec(org.bnlab.model.Architecture.RESNET, 8, Shortcut.A, NoNorm.DEFAULT, Initialization.HE,
                    List.of(), null));

    static RunSpec withModel(RunSpec s, ModelSpec model) {
        return new RunSpec(s.data(), model, s.train(), s.eval(), s.measure(), s.execution(), s.seed());
    }

    static RunSpec withData(RunSpec s, DataSpec data) {
        return new RunSpec(data, s.model(), s.train(), s.eval(), s.measure(), s.execution(), s.seed());
    }

    private static RunSpec fromYaml(String yaml) {
        try {
            return SpecCodec.toSpec(SpecCodec.yaml().readTree(yaml), new Origins());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theSettingsMarkedOnTheirComponentsAreTheReportOnlyAndLaterKeys() {
        // the keys these lists held when they were written by hand: a run's id depends on them
        assertEquals(List.of("eval.target_accuracy", "eval.modes", "eval.test_batch_sizes", "eval.precise_batches",
                "eval.shifts", "eval.severities", "eval.calibration_bins", "measure.probe_layers"),
                SpecCodec.REPORT_ONLY);
        assertEquals(List.of("eval.modes", "eval.test_batch_sizes", "eval.precise_batches", "eval.shifts",
                "eval.severities", "eval.calibration_bins"),
                SettingKind.paths("eval", EvalSpec.class, SettingKind.AddedLater.class));
        assertEquals(List.of("measure.probe_every", "measure.probe_images", "measure.probe_layers",
                "measure.layer_response_images", "measure.init_gradients", "measure.ics_every", "measure.ics_layers",
                "measure.landscape_every", "measure.landscape_steps"),
                SettingKind.paths("measure", MeasureSpec.class, SettingKind.AddedLater.class));
        assertFalse(SpecCodec.isIdentity("measure.probe_layers"));
        assertTrue(SpecCodec.isIdentity("measure.probe_every"));
    }

    @Test
    void yamlRoundTripGivesAnEqualSpecification() {
        for (RunSpec spec : List.of(RunSpec.DEFAULT, EVERYTHING_CHANGED, NO_BN)) {
            String yaml = SpecCodec.toYaml(spec);
            assertEquals(spec, fromYaml(yaml), yaml);
            assertEquals(yaml, SpecCodec.toYaml(fromYaml(yaml)), "writing is stable");
        }
    }

    @Test
    void jsonRoundTripGivesAnEqualSpecification() {
        for (RunSpec spec : List.of(RunSpec.DEFAULT, EVERYTHING_CHANGED, NO_BN)) {
            String json = SpecCodec.toJson(spec);
            assertEquals(spec, SpecCodec.fromJson(json, "config.json"), json);
            assertEquals(json, SpecCodec.toJson(SpecCodec.fromJson(json, "config.json")));
        }
    }

    @Test
    void unusualTextValuesSurviveYaml() {
        // strings YAML would otherwise read as numbers, booleans or null
        for (String root : List.of("2024", "yes", "null", "0.5", "a: b", "#x")) {
            RunSpec spec = withData(RunSpec.DEFAULT, new DataSpec("cifar10", root, 32, 1000, null, 200, 0, null, true, false, 0));
            assertEquals(spec, fromYaml(SpecCodec.toYaml(spec)), SpecCodec.toYaml(spec));
        }
    }

    @Test
    void theWrittenFormUsesSnakeCaseAndTypedNormalization() {
        String yaml = SpecCodec.toYaml(RunSpec.DEFAULT);
        assertTrue(yaml.contains("learning_rate: 0.1"), yaml);
        assertTrue(yaml.contains("train_per_class: 1000"), yaml);
        assertTrue(yaml.contains("activation_stats_every: 20"), yaml);
        assertTrue(yaml.contains("layout: nhwc") && yaml.contains("kernels: onednn"), yaml);
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        assertEquals("batchnorm", tree.at("/model/normalization/type").asText());
        assertEquals(0.9, tree.at("/model/normalization/decay").asDouble());
        assertEquals("he", tree.at("/model/init").asText());
        assertEquals(42, tree.get("seed").asLong());
        assertEquals(List.of("data", "model", "train", "eval", "measure", "execution", "seed"),
                iterable(tree.fieldNames()));
        assertEquals("none", SpecCodec.tree(NO_BN).at("/model/normalization/type").asText());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void normalizationCanBeWrittenAsPlainText() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(tree, "model.normalization", SpecCodec.parseValue("none"));
        assertEquals(NoNorm.DEFAULT, SpecCodec.toSpec(tree, new Origins()).model().normalization());
        SpecCodec.set(tree, "model.normalization", SpecCodec.parseValue("bn"));
        assertEquals(BatchNorm.DEFAULT, SpecCodec.toSpec(tree, new Origins()).model().normalization());
        SpecCodec.set(tree, "model.normalization", SpecCodec.parseValue("{type: batchnorm, decay: 0.5}"));
        assertEquals(new BatchNorm(0.5, 1e-5), SpecCodec.toSpec(tree, new Origins()).model().normalization());
    }

    @Test
    void settingAParameterOfATextNormalizationMakesItTyped() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(tree, "model.normalization", SpecCodec.parseValue("batchnorm"));
        SpecCodec.set(tree, "model.normalization.decay", SpecCodec.parseValue("0.99"));
        assertEquals(new BatchNorm(0.99, 1e-5), SpecCodec.toSpec(tree, new Origins()).model().normalization());
    }

    @Test
    void setReplacesAnObjectThatNamesItsType() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(tree, "model.normalization", SpecCodec.parseValue("{type: batchnorm, epsilon: 0.001}"));
        assertEquals(new BatchNorm(0.9, 0.001), SpecCodec.toSpec(tree, new Origins()).model().normalization(),
                "the decay is the type's default again, not the one that was there");
        SpecCodec.set(tree, "train.schedule.milestones", SpecCodec.parseValue("[]"));
        assertEquals(List.of(), SpecCodec.toSpec(tree, new Origins()).train().schedule().milestones());
    }

    @Test
    void setMergesAnObjectWithoutTypeKeyByKey() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(tree, "train", SpecCodec.parseValue("{epochs: 9}"));
        RunSpec spec = SpecCodec.toSpec(tree, new Origins());
        assertEquals(9, spec.train().epochs());
        assertEquals(128, spec.train().batchSize(), "the other train keys stay");
        SpecCodec.set(tree, "model.normalization", SpecCodec.parseValue("{decay: 0.99}"));
        assertEquals(new BatchNorm(0.99, 1e-5), SpecCodec.toSpec(tree, new Origins()).model().normalization());
    }

    @Test
    void setBelowAPlainValueIsAnError() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecException e = assertThrows(SpecException.class,
                () -> SpecCodec.set(tree, "seed.low", SpecCodec.parseValue("1")));
        assertTrue(e.getMessage().contains("seed") && e.getMessage().contains("'low'"), e.getMessage());
    }

    @Test
    void mergeTakesDottedAndNestedKeysAndRecordsWhere() throws Exception {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        Origins origins = new Origins();
        JsonNode overrides = SpecCodec.yaml().readTree("model.depth: 8\ntrain:\n  epochs: 2\n  schedule: {factor: 0.5}\n");
        SpecCodec.merge(tree, overrides, "", origins, path -> "file " + path);
        RunSpec spec = SpecCodec.toSpec(tree, origins);
        assertEquals(8, spec.model().depth());
        assertEquals(2, spec.train().epochs());
        assertEquals(0.5, spec.train().schedule().factor());
        assertEquals(List.of(0.5, 0.75), spec.train().schedule().milestones(), "kept");
        assertEquals("file model.depth", origins.of("model.depth"));
        assertEquals("file train.schedule.factor", origins.of("train.schedule.factor"));
        assertEquals("file train.schedule.factor", origins.of("train.schedule"), "a parent: its child set last");
        assertNull(origins.of("eval.batch_size"), "a default has no origin");
    }

    // ---- strict reading ----

    private static SpecException rejected(String path, String value) {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(tree, path, SpecCodec.parseValue(value));
        Origins origins = new Origins();
        origins.record(path, "x.yaml, line 3");
        return assertThrows(SpecException.class, () -> SpecCodec.toSpec(tree, origins), path + "=" + value);
    }

    @Test
    void anUnknownKeyIsNamedWithItsPathOriginAndTheKnownKeys() {
        String message = rejected("model.dept", "8").getMessage();
        assertTrue(message.startsWith("x.yaml, line 3: model.dept: unknown key"), message);
        assertTrue(message.contains("depth") && message.contains("init"), message);
    }

    @Test
    void wrongTypesAreRejected() {
        assertTrue(rejected("train.epochs", "2.5").getMessage().startsWith("x.yaml, line 3: train.epochs: "));
        assertTrue(rejected("train.learning_rate", "fast").getMessage()
                .startsWith("x.yaml, line 3: train.learning_rate: "));
        assertTrue(rejected("train.learning_rate", "'0.1'").getMessage().contains("train.learning_rate"),
                "a quoted number is text, not a number");
        assertTrue(rejected("data.download", "1").getMessage().contains("data.download"));
        assertTrue(rejected("model.init", "xavier").getMessage().contains("xavier"));
        assertTrue(rejected("model.normalization", "whitening").getMessage().contains("whitening"));
        assertTrue(rejected("model.normalization", "whitening").getMessage()
                .endsWith("\"whitening\": unknown normalization (expected " + org.bnlab.norm.Normalizers.names() + ")"),
                rejected("model.normalization", "whitening").getMessage());
        assertEquals("x.yaml, line 3: model.normalization: normalization batchnorm has no parameter 'foo' (it has decay and epsilon)",
                rejected("model.normalization", "{type: batchnorm, foo: 1}").getMessage());
        assertTrue(rejected("model.normalization", "{type: none, decay: 0.9}").getMessage().contains("decay"));
        assertTrue(rejected("execution.layout", "chwn").getMessage().contains("chwn"));
    }

    @Test
    void wrongTypeMessagesCarryNoJacksonAdvice() {
        String message = rejected("train.learning_rate", "fast").getMessage();
        assertFalse(message.contains("CoercionConfig"), message);
    }

    @Test
    void impossibleValuesAreRejectedWithTheRecordsReason() {
        String depth = rejected("model.depth", "21").getMessage();
        assertTrue(depth.startsWith("x.yaml, line 3: model"), depth);
        assertTrue(depth.contains("depth 21 is not of the form 6n+2"), depth);
        assertTrue(rejected("train.epochs", "0").getMessage().contains("epochs must be at least 1"));
        assertTrue(rejected("eval.target_accuracy", "40").getMessage().contains("did you mean 0.4"));
        assertTrue(rejected("train.schedule.milestones", "[0.75, 0.5]").getMessage().contains("ascending"));
        assertTrue(rejected("model.normalization.decay", "1.5").getMessage().contains("decay"));
    }

    @Test
    void theGroupsDefaultToTheSharedRecipeWithoutDecayOnGammaAndBeta() {
        GroupsSpec groups = RunSpec.DEFAULT.train().groups();
        assertEquals(new GroupSpec(true, null, null, 0.0), groups.batchnorm());
        assertEquals(new GroupSpec(true, null, null, null), groups.weights());
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        assertTrue(tree.at("/train/groups/weights/learning_rate").isNull(), tree.toString());
        assertEquals(0.0, tree.at("/train/groups/batchnorm/weight_decay").asDouble(-1));
    }

    @Test
    void groupSettingsAreSetByDottedPathAndChecked() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        SpecCodec.set(tree, "train.groups.batchnorm.schedule", SpecCodec.parseValue("{type: exponential, decay_per_epoch: 0.9}"));
        SpecCodec.set(tree, "train.groups.weights.trainable", SpecCodec.parseValue("false"));
        RunSpec spec = SpecCodec.toSpec(tree, new Origins());
        assertEquals(new GroupScheduleSpec("exponential", 0.9), spec.train().groups().batchnorm().schedule());
        assertFalse(spec.train().groups().weights().trainable());
        assertTrue(rejected("train.groups.batchnorm.learning_rate", "-1").getMessage()
                .startsWith("x.yaml, line 3: train.groups.batchnorm.learning_rate: learning rate must be positive"));
        assertTrue(rejected("train.groups.weights.weight_decay", "-0.1").getMessage()
                .contains("train.groups.weights.weight_decay: weight decay must be >= 0"));
        assertTrue(rejected("train.groups.batchnorm.schedule", "{type: cosine, decay_per_epoch: 0.9}").getMessage()
                .contains("train.groups.batchnorm.schedule.type: group schedule type must be exponential"));
        assertTrue(rejected("train.groups.batchnorm.schedule", "{type: exponential, decay_per_epoch: 1.5}")
                .getMessage().contains("decay_per_epoch"));
        assertTrue(rejected("train.groups.batchnorm.trainable", "'no'").getMessage()
                .contains("train.groups.batchnorm.trainable"));
        assertTrue(rejected("train.groups.bn.trainable", "false").getMessage()
                .contains("train.groups.bn: unknown key"));
    }

    @Test
    void phasesAreReadCheckedAndRoundTripped() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        assertTrue(tree.at("/train/phases").isNull(), "no phases by default");
        SpecCodec.set(tree, "train.phases", SpecCodec.parseValue("{alternate_every_epochs: 2, order: [weights, batchnorm]}"));
        RunSpec spec = SpecCodec.toSpec(tree, new Origins());
        assertEquals(new PhasesSpec(2, List.of("weights", "batchnorm")), spec.train().phases());
        assertEquals(1, spec.train().phases().phaseOf("batchnorm"));
        assertEquals(spec, fromYaml(SpecCodec.toYaml(spec)));
        assertEquals(spec, SpecCodec.fromJson(SpecCodec.toJson(spec), "config.json"));
        assertTrue(rejected("train.phases", "{alternate_every_epochs: 0, order: [weights, batchnorm]}").getMessage()
                .contains("train.phases.alternate_every_epochs: epochs per phase must be at least 1"));
        assertTrue(rejected("train.phases", "{alternate_every_epochs: 1, order: [weights, weights]}").getMessage()
                .contains("train.phases.order: phase order must name batchnorm and weights once each"));
        ObjectNode frozen = SpecCodec.tree(spec);
        SpecCodec.set(frozen, "train.groups.weights.trainable", SpecCodec.parseValue("false"));
        SpecException e = assertThrows(SpecException.class, () -> SpecCodec.toSpec(frozen, new Origins()));
        assertTrue(e.getMessage().contains("train.phases: alternating phases need both groups trainable"),
                e.getMessage());
    }

    @Test
    void aMissingKeyOrBadTextInAWholeSpecificationIsAnError() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        ((ObjectNode) tree.get("train")).remove("momentum");
        SpecException e = assertThrows(SpecException.class, () -> SpecCodec.fromJson(tree.toString(), "config.json"));
        assertTrue(e.getMessage().contains("train.momentum"), e.getMessage());
        assertTrue(assertThrows(SpecException.class, () -> SpecCodec.fromJson("{", "config.json")).getMessage()
                .startsWith("config.json: not well-formed JSON"));
        assertTrue(assertThrows(SpecException.class, () -> SpecCodec.fromJson("[1]", "config.json")).getMessage()
                .startsWith("config.json: not a JSON object"));
    }

    @Test
    void aKeyWrittenTwiceInAConfigOrAValueIsRefusedNotTheSecondTaken() {
        String json = SpecCodec.toJson(RunSpec.DEFAULT);
        String twice = json.replaceFirst("\"seed\" : (\\d+)", "\"seed\" : $1, \"seed\" : 99");
        assertNotEquals(json, twice);
        String message = assertThrows(SpecException.class, () -> SpecCodec.fromJson(twice, "config.json"))
                .getMessage();
        assertTrue(message.startsWith("config.json: not well-formed JSON: Duplicate field 'seed'"), message);
        assertFalse(message.contains("\n"), message);
        String value = assertThrows(SpecException.class,
                () -> SpecCodec.parseValue("{type: batchnorm, decay: 0.9, decay: 0.5}")).getMessage();
        assertTrue(value.contains("Duplicate field 'decay'"), value);
    }

    @Test
    void errorsInAWholeSpecificationNameTheFile() {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        ((ObjectNode) tree.get("train")).put("epochs", 0);
        SpecException e = assertThrows(SpecException.class, () -> SpecCodec.fromJson(tree.toString(), "config.json"));
        assertTrue(e.getMessage().startsWith("config.json: train"), e.getMessage());
    }

    // ---- the hash ----

    @Test
    void theHashIsEightHexDigitsOfTheWholeSpecification() {
        String hash = SpecCodec.hash(RunSpec.DEFAULT);
        assertTrue(hash.matches("[0-9a-f]{8}"), hash);
        assertEquals(hash, SpecCodec.hash(SpecCodec.fromJson(SpecCodec.toJson(RunSpec.DEFAULT), "x")));
        assertNotEquals(hash, SpecCodec.hash(RunSpec.DEFAULT.withSeed(43)));
        assertNotEquals(hash, SpecCodec.hash(NO_BN));
        assertNotEquals(SpecCodec.hash(withModel(RunSpec.DEFAULT, new ModelSpec(org.bnlab.model.Architecture.RESNET, 20,
                Shortcut.A, new BatchNorm(0.9, 1e-3), Initialization.HE, List.of(), null))), hash, "a BN parameter is part of it");
    }

    @Test
    void whereTheDataLivesIsNotPartOfTheHash() {
        DataSpec d = DataSpec.DEFAULT;
        RunSpec elsewhere = withData(RunSpec.DEFAULT, new DataSpec(d.dataset(), "/somewhere/else", d.imageSize(),
                d.trainPerClass(), d.trainFraction(), d.testPerClass(), d.validationPerClass(), d.augment(), !d.download(),
                d.skipBadImages(), d.batchClasses()));
        assertEquals(SpecCodec.hash(RunSpec.DEFAULT), SpecCodec.hash(elsewhere));
        RunSpec fewer = withData(RunSpec.DEFAULT, new DataSpec(d.dataset(), null, d.imageSize(), 999,
                d.trainFraction(), d.testPerClass(), d.validationPerClass(), d.augment(), d.download(), d.skipBadImages(),
                d.batchClasses()));
        assertNotEquals(SpecCodec.hash(RunSpec.DEFAULT), SpecCodec.hash(fewer));
    }

    @Test
    void keysAddedLaterCountOnlyAwayFromTheirDefaults() {
        // the hash of the defaults must not move when keys are added: finished run folders keep their ids
        ObjectNode tree = SpecCodec.withoutLaterDefaults(SpecCodec.tree(RunSpec.DEFAULT));
        assertFalse(tree.get("eval").has("modes"), tree.toString());
        assertFalse(tree.get("measure").has("probe_every"), tree.toString());
        assertFalse(tree.get("model").has("init_from"), tree.toString());
        assertTrue(tree.get("eval").has("batch_size"), "keys of the first schema stay");
        EvalSpec e = EvalSpec.DEFAULT;
        RunSpec precise = new RunSpec(RunSpec.DEFAULT.data(), RunSpec.DEFAULT.model(), RunSpec.DEFAULT.train(),
                new EvalSpec(e.batchSize(), e.targetAccuracy(), List.of("running", "precise"), e.testBatchSizes(),
                        e.preciseBatches(), e.shifts(), e.severities(), e.calibrationBins()),
                RunSpec.DEFAULT.measure(), RunSpec.DEFAULT.execution(), RunSpec.DEFAULT.seed());
        assertTrue(SpecCodec.withoutLaterDefaults(SpecCodec.tree(precise)).get("eval").has("modes"));
        assertEquals(SpecCodec.hash(precise), SpecCodec.hash(SpecCodec.fromJson(SpecCodec.toJson(precise), "x")));
        MeasureSpec m = RunSpec.DEFAULT.measure();
        RunSpec probed = new RunSpec(RunSpec.DEFAULT.data(), RunSpec.DEFAULT.model(), RunSpec.DEFAULT.train(),
                RunSpec.DEFAULT.eval(), new MeasureSpec(m.activationStatsEvery(), 5, m.probeImages(), m.probeLayers()),
                RunSpec.DEFAULT.execution(), RunSpec.DEFAULT.seed());
        assertNotEquals(SpecCodec.hash(RunSpec.DEFAULT), SpecCodec.hash(probed), "a later key away from its default");
    }

    @Test
    void settingsOnlyTheReportOrAnalyzeReadAreNotPartOfTheIdentity() throws Exception {
        EvalSpec e = EvalSpec.DEFAULT;
        RunSpec reported = withEval(RunSpec.DEFAULT, new EvalSpec(e.batchSize(), 0.9, List.of("running", "adabn"),
                List.of(4), 3, List.of("contrast"), List.of(2), 10));
        assertEquals(SpecCodec.hash(RunSpec.DEFAULT), SpecCodec.hash(reported));
        assertTrue(SpecCodec.sameIdentity(RunSpec.DEFAULT, reported));
        assertEquals("cc9cd1de", SpecCodec.hash(RunSpec.DEFAULT), "the defaults keep the hash they always had");
        // which layers the report plots is the report's business too
        assertEquals(SpecCodec.hash(RunSpec.DEFAULT), SpecCodec.hash(onDefaults("measure: {probe_layers: [conv1]}")));
        // the evaluation after every epoch runs in batches of eval.batch_size: that is part of the training's record
        RunSpec otherBatches = withEval(RunSpec.DEFAULT, new EvalSpec(100, e.targetAccuracy()));
        assertNotEquals(SpecCodec.hash(RunSpec.DEFAULT), SpecCodec.hash(otherBatches));
        assertFalse(SpecCodec.sameIdentity(RunSpec.DEFAULT, otherBatches));
    }

    private static RunSpec withEval(RunSpec s, EvalSpec eval) {
        return new RunSpec(s.data(), s.model(), s.train(), eval, s.measure(), s.execution(), s.seed());
    }

    @Test
    void theWarmUpTypeIsConstantUnlessSetAndALaterKey() throws Exception {
        assertEquals(ScheduleSpec.CONSTANT, RunSpec.DEFAULT.train().schedule().warmupType());
        assertFalse(SpecCodec.withoutLaterDefaults(SpecCodec.tree(RunSpec.DEFAULT)).get("train").get("schedule")
                .has("warmup_type"), "the default leaves the ids as they were");
        RunSpec linear = onDefaults("train: {schedule: {warmup_iterations: 400, warmup_type: linear}}");
        assertEquals(ScheduleSpec.LINEAR, linear.train().schedule().warmupType());
        RunSpec constant = onDefaults("train: {schedule: {warmup_iterations: 400}}");
        assertNotEquals(SpecCodec.hash(constant), SpecCodec.hash(linear));
        assertEquals(SpecCodec.hash(constant),
                SpecCodec.hash(onDefaults("train: {schedule: {warmup_iterations: 400, warmup_type: constant}}")));
        SpecException e = assertThrows(SpecException.class,
                () -> onDefaults("train: {schedule: {warmup_type: gradual}}"));
        assertTrue(e.getMessage().contains("train.schedule.warmup_type"), e.getMessage());
        assertTrue(e.getMessage().contains("constant or linear"), e.getMessage());
    }

    private static RunSpec onDefaults(String yaml) throws Exception {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        Origins origins = new Origins();
        SpecCodec.merge(tree, SpecCodec.yaml().readTree(yaml), "", origins, path -> "test");
        return SpecCodec.toSpec(tree, origins);
    }

    @Test
    void unknownForwardPassesAndShiftsAreRefusedByPath() {
        SpecException mode = assertThrows(SpecException.class, () -> onDefaults("eval: {modes: [running, adabm]}"));
        assertTrue(mode.getMessage().contains("eval.modes") && mode.getMessage().contains("adabm"), mode.getMessage());
        SpecException severity = assertThrows(SpecException.class, () -> onDefaults("eval: {severities: [0, 6]}"));
        assertTrue(severity.getMessage().contains("eval.severities"), severity.getMessage());
        SpecException probe = assertThrows(SpecException.class, () -> onDefaults("measure: {probe_images: 1}"));
        assertTrue(probe.getMessage().contains("measure.probe_images"), probe.getMessage());
    }

    @Test
    void badLandscapeSettingsAreRefusedByPath() throws Exception {
        for (String bad : List.of("measure: {landscape_every: -1}", "measure: {landscape_steps: []}",
                "measure: {landscape_steps: [1, 0]}", "measure: {landscape_steps: [1, -2]}",
                "measure: {landscape_steps: [1, 1]}")) {
            SpecException e = assertThrows(SpecException.class, () -> onDefaults(bad), bad);
            String key = bad.contains("every") ? "measure.landscape_every" : "measure.landscape_steps";
            assertTrue(e.getMessage().contains(key) && !e.getMessage().contains("\n"), bad + ": " + e.getMessage());
        }
        assertEquals(List.of(0.25, 3.0), onDefaults("measure: {landscape_every: 7, landscape_steps: [0.25, 3]}")
                .measure().landscapeSteps());
    }

    @Test
    void labelsPrintValuesPlainly() {
        assertEquals("0.1", SpecCodec.label(SpecCodec.parseValue("0.1")));
        assertEquals("0.00001", SpecCodec.label(SpecCodec.parseValue("1e-5")));
        assertEquals("20", SpecCodec.label(SpecCodec.parseValue("20")));
        assertEquals("none", SpecCodec.label(SpecCodec.parseValue("{type: none}")));
        assertEquals("zero-residual", SpecCodec.label(SpecCodec.parseValue("zero-residual")));
    }
}
