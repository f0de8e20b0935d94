package org.bnlab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bnlab.model.Architecture;
import org.bnlab.train.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** The specification's model families (model.architecture, model.hidden), optimizers and data.augment. */
class ArchitectureAndOptimizerSpecTest {

    /** The default specification with {@code path=value} changes (values read as YAML), as an experiment file does. */
    private static RunSpec with(String... changes) {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        for (String change : changes) {
            int eq = change.indexOf('=');
            SpecCodec.set(tree, change.substring(0, eq), SpecCodec.parseValue(change.substring(eq + 1)));
        }
        Origins origins = new Origins();
        origins.record("", "test");
        return SpecCodec.toSpec(tree, origins);
    }

    private static RunSpec mlp(String... more) {
        List<String> changes = new ArrayList<>(List.of("data.dataset=fashion-mnist", "data.image_size=28",
                "data.augment=false", "model.architecture=mlp", "model.hidden=[256, 128]", "train.optimizer=adam",
                "train.learning_rate=0.001", "train.weight_decay=0", "train.schedule.milestones=[]"));
        changes.addAll(List.of(more));
        return with(changes.toArray(String[]::new));
    }

    /** The error's key path and reason (the place that set the value, here the test's own label, left off). */
    private static String error(String... changes) {
        String message = assertThrows(SpecException.class, () -> with(changes)).getMessage();
        return message.startsWith("test: ") ? message.substring("test: ".length()) : message;
    }

    @Test
    void anMlpWithAdamRoundTripsThroughJsonAndYaml() throws Exception {
        RunSpec spec = mlp("model.normalization={type: batchnorm, decay: 0.99}");
        assertEquals(Architecture.MLP, spec.model().architecture());
        assertEquals(List.of(256, 128), spec.model().hidden());
        assertEquals(3, spec.model().weightLayers());
        assertEquals(Optimizer.ADAM, spec.train().optimizer());
        assertEquals(Boolean.FALSE, spec.data().augment());

        String json = SpecCodec.toJson(spec);
        assertEquals(spec, SpecCodec.fromJson(json, "config.json"));
        JsonNode tree = SpecCodec.json().readTree(json);
        assertEquals("mlp", tree.at("/model/architecture").asText());
        assertEquals("[256,128]", tree.at("/model/hidden").toString());
        assertEquals("adam", tree.at("/train/optimizer").asText());
        assertEquals(false, tree.at("/data/augment").booleanValue());

        String yaml = SpecCodec.toYaml(spec);
        assertTrue(yaml.contains("architecture: mlp"), yaml);
        assertTrue(yaml.contains("optimizer: adam"), yaml);
        assertEquals(spec, SpecCodec.fromJson(SpecCodec.yaml().readTree(yaml).toString(), "yaml"));
        // the hash sees the new settings
        assertTrue(!SpecCodec.hash(spec).equals(SpecCodec.hash(mlp("train.optimizer=sgd"))));
    }

    @Test
    void theDefaultResNetGainsOnlyTheNewKeysAtTheirDefaults() throws Exception {
        JsonNode tree = SpecCodec.json().readTree(SpecCodec.toJson(RunSpec.DEFAULT));
        assertEquals(List.of("architecture", "depth", "shortcut", "normalization", "init", "hidden", "init_from"),
                fieldNames(tree.get("model")));
        assertTrue(tree.at("/model/init_from").isNull(), "freshly initialised (config.json leaves the null out)");
        assertEquals(List.of("epochs", "batch_size", "optimizer", "learning_rate", "momentum", "weight_decay",
                "schedule", "divergence_factor", "groups", "phases"), fieldNames(tree.get("train")));
        // the parameter groups' defaults are the shared recipe: nothing a run computes changes
        assertEquals(List.of("batchnorm", "weights"), fieldNames(tree.at("/train/groups")));
        assertEquals(List.of("trainable", "learning_rate", "schedule", "weight_decay"),
                fieldNames(tree.at("/train/groups/batchnorm")));
        assertEquals(GroupsSpec.DEFAULT, RunSpec.DEFAULT.train().groups());
        assertTrue(tree.at("/train/phases").isNull());
        assertEquals(List.of("dataset", "root", "image_size", "train_per_class", "train_fraction", "test_per_class",
                "validation_per_class", "augment", "download", "skip_bad_images", "batch_classes"),
                fieldNames(tree.get("data")));
        assertEquals("resnet", tree.at("/model/architecture").asText());
        assertEquals("[]", tree.at("/model/hidden").toString());
        assertEquals("sgd", tree.at("/train/optimizer").asText());
        assertTrue(tree.at("/data/augment").isNull());
        assertNull(RunSpec.DEFAULT.data().augment());
        assertEquals(20, RunSpec.DEFAULT.model().weightLayers());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void unknownValuesListTheKnownOnes() {
        String optimizer = error("train.optimizer=rmsprop");
        // Jackson lists the names in no fixed order
        assertTrue(optimizer.matches("train\\.optimizer: unknown value \"rmsprop\" \\(expected one of:"
                + " (sgd, adam|adam, sgd)\\)"), optimizer);
        String architecture = error("model.architecture=transformer");
        assertTrue(architecture.matches("model\\.architecture: unknown value \"transformer\" \\(expected one of:"
                + " (resnet, mlp|mlp, resnet)\\)"), architecture);
        String init = error("model.init=lsuv");
        assertTrue(init.startsWith("model.init: unknown value \"lsuv\" (expected one of: "), init);
        assertTrue(!optimizer.contains("\n") && !architecture.contains("\n"));
    }

    @Test
    void fieldsOfTheOtherArchitectureAreRefused() {
        assertEquals("model.hidden: hidden [256] applies to architecture mlp only (a resnet's widths are 16, 32 and"
                + " 64); leave it [] or set architecture: mlp", error("model.hidden=[256]"));
        assertEquals("model.hidden: an mlp needs at least one hidden layer, e.g. hidden: [256]",
                error("model.architecture=mlp"));
        assertEquals("model.depth: depth and shortcut apply to architecture resnet only (an mlp's depth follows from"
                + " hidden); leave them at 20 and A, got 56 and A",
                error("model.architecture=mlp", "model.hidden=[256]", "model.depth=56"));
        assertTrue(error("model.architecture=mlp", "model.hidden=[256]", "model.shortcut=B").contains("got 20 and B"));
        assertEquals("model.init: init zero-residual applies to architecture resnet only (an mlp has no residual"
                + " branches); use he", error("model.architecture=mlp", "model.hidden=[256]",
                "model.init=zero-residual"));
        assertEquals("model.hidden: hidden layer widths must be whole numbers of at least 1, got [256, 0]",
                error("model.architecture=mlp", "model.hidden=[256, 0]"));
        String fractional = error("model.architecture=mlp", "model.hidden=[256.5]");
        assertTrue(fractional.startsWith("model.hidden[0]: "), fractional);
    }

    @Test
    void momentumBelongsToSgd() {
        assertEquals("train.momentum: momentum applies to optimizer sgd only; adam uses beta1 0.9 and beta2 0.999"
                + " (leave momentum at 0.9), got 0.95", error("train.optimizer=adam", "train.momentum=0.95"));
        assertEquals(0.95, with("train.momentum=0.95").train().momentum());
    }

    @Test
    void augmentIsTrueFalseOrTheDataSetsStandard() {
        assertEquals(Boolean.TRUE, with("data.augment=true").data().augment());
        assertNull(with("data.augment=null").data().augment());
        String text = error("data.augment=sometimes");
        assertTrue(text.startsWith("data.augment: "), text);
    }
}
