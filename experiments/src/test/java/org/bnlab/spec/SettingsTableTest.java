package org.bnlab.spec;

import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The settings table: read from the specification, complete, and the one in docs/specification.md. */
class SettingsTableTest {

    static final String START = "<!-- the settings table: scripts/bnlab settings --markdown -->";
    static final String END = "<!-- end of the settings table -->";

    private static Map<String, SettingsTable.Row> byPath() {
        return SettingsTable.rows().stream().collect(Collectors.toMap(SettingsTable.Row::path, r -> r));
    }

    @Test
    void everySettingIsDescribed() {
        assertEquals(List.of(), SettingsTable.undescribed(),
                "add @JsonPropertyDescription to the record component of each of these settings");
    }

    @Test
    void everySettingOfADefaultConfigJsonIsARow() {
        Map<String, SettingsTable.Row> rows = byPath();
        List<String> leaves = new java.util.ArrayList<>();
        leaves(SpecCodec.tree(RunSpec.DEFAULT), "", leaves);
        for (String leaf : leaves) {
            assertTrue(rows.containsKey(leaf), leaf + " is not in the settings table");
        }
        assertTrue(leaves.size() > 40, "the walk found the settings: " + leaves);
    }

    private static void leaves(com.fasterxml.jackson.databind.JsonNode node, String prefix, List<String> out) {
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                leaves(e.getValue(), prefix + e.getKey() + ".", out);
            } else {
                out.add(prefix + e.getKey());
            }
        });
    }

    @Test
    void defaultsAreWrittenAsAnExperimentFileWritesThem() {
        Map<String, SettingsTable.Row> rows = byPath();
        assertEquals("[0.5, 0.75]", rows.get("train.schedule.milestones").defaultValue());
        assertEquals("0.1", rows.get("train.learning_rate").defaultValue());
        assertEquals("cifar10", rows.get("data.dataset").defaultValue());
        assertEquals("null", rows.get("model.init_from").defaultValue());
        assertEquals("", rows.get("model.init_from.parameters").defaultValue(), "a setting of a null default");
        assertEquals("0.9", rows.get("model.normalization.decay").defaultValue(), "the default normalizer's own");
    }

    @Test
    void registeredChoicesAreDescribedFromTheirRegistries() {
        Map<String, SettingsTable.Row> rows = byPath();
        for (org.bnlab.norm.Normalizer n : org.bnlab.norm.Normalizers.all()) {
            assertTrue(rows.get("model.normalization").description().contains("`" + n.type() + "`"), n.type());
            assertTrue(rows.get("model.normalization.type").description().contains("`" + n.type() + "`"), n.type());
        }
        for (org.bnlab.model.Architecture a : org.bnlab.model.Architecture.values()) {
            assertTrue(rows.get("model.architecture").description().contains("`" + a.id() + "`: "
                    + a.description()), a.id());
        }
        for (String mode : EvalSpec.MODES) {
            assertTrue(rows.get("eval.modes").description().contains(mode), mode);
        }
        assertEquals(List.of(), SettingsTable.rows().stream().filter(r -> r.description() != null
                && r.description().contains("${")).map(SettingsTable.Row::path).toList(), "unreplaced placeholders");
    }

    @Test
    void theSpecificationPageHoldsTheGeneratedTable() throws IOException {
        Path page = Home.root().resolve("docs").resolve("specification.md");
        String text = Files.readString(page);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertTrue(start >= 0 && end > start, page + " marks the table with " + START + " and " + END);
        String table = text.substring(start + START.length(), end).strip() + "\n";
        assertEquals(SettingsTable.markdown(), table, page + " is out of date: put the output of "
                + "`scripts/bnlab settings --markdown` between its markers");
    }

    @Test
    void theSpecificationPageDescribesEveryNormalizer() throws IOException {
        Path page = Home.root().resolve("docs").resolve("specification.md");
        String text = Files.readString(page);
        int section = text.indexOf("## The normalizers");
        assertTrue(section >= 0, page + " has a section \"## The normalizers\"");
        String rows = text.substring(section);
        for (Normalizer normalizer : Normalizers.all()) {
            assertTrue(rows.contains("\n| `" + normalizer.type() + "`"),
                    page + ": the normalizers' table has no row for `" + normalizer.type() + "`");
        }
    }
}
