package org.bnlab.experiment;

import org.bnlab.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Declared contrasts and references are compared as values and checked against the plan before anything trains: a
 * path that is no setting, values that select no run, sides that pair up nowhere are refused with the file, line
 * and reason; a setting zipped with the contrasted one moves with it.
 */
class ContrastCheckTest {

    @TempDir
    Path tmp;

    private ExperimentPlan plan(String... lines) throws IOException {
        Path file = Files.writeString(tmp.resolve("x.yaml"), String.join("\n", lines) + "\n");
        return ExperimentPlan.expand(ExperimentFiles.load(file));
    }

    private String refused(String... lines) throws IOException {
        ExperimentPlan plan = plan(lines);
        return assertThrows(SpecException.class, () -> ContrastCheck.check(plan)).getMessage();
    }

    private static final String[] ZIPPED = {"name: zipped", "base: {model.depth: 8}", "zip:",
            "  - model.normalization: [batchnorm, none]", "    model.init: [he, zero-residual]", "seeds: [1, 2]"};

    private static String[] with(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void aMisspelledPathIsNoSettingAndNamesTheNearestOne() throws IOException {
        String message = refused(with(ZIPPED, "contrasts:", "  - \"model.normalisation: batchnorm vs none\""));
        assertTrue(message.startsWith(tmp.resolve("x.yaml") + ", line 8: "), message);
        assertTrue(message.contains("model.normalisation: not a setting (did you mean model.normalization?)"),
                message);
    }

    @Test
    void valuesThatSelectNoRunAreRefusedWithTheValuesTaken() throws IOException {
        String message = refused(with(ZIPPED, "contrasts:", "  - \"model.normalization: on vs off\""));
        assertTrue(message.contains("line 8"), message);
        // read as the specification reads values: YAML on/off are true/false
        assertTrue(message.contains("treatment: {model.normalization: true} selects no planned run "
                + "(model.normalization takes batchnorm, none)"), message);
    }

    @Test
    void numbersAreComparedAsValues() throws IOException {
        ExperimentPlan plan = plan("name: lr", "base: {model.depth: 8}",
                "grid: {train.learning_rate: [0.1, 0.00001]}", "seeds: [1, 2]",
                "contrasts:", "  - \"train.learning_rate: 1e-1 vs 1e-5\"",
                "  - {treatment: {train.learning_rate: 1.0e-1}, baseline: {train.learning_rate: 0.00001}}");
        ContrastCheck.check(plan);
        for (Contrast contrast : plan.experiment().contrasts()) {
            List<Contrasts.Pair<java.util.Map<String, String>>> pairs = pairs(plan, contrast);
            assertEquals(1, pairs.size(), contrast.toString());
            assertEquals(2, pairs.get(0).treatment().size());
            assertEquals(2, pairs.get(0).baseline().size());
        }
    }

    private static List<Contrasts.Pair<java.util.Map<String, String>>> pairs(ExperimentPlan plan, Contrast c) {
        return Contrasts.pairs(c, plan.runs().stream().map(Settings::of).toList(), r -> r,
                plan.varying().stream().filter(p -> !p.equals("seed")).toList(),
                ContrastCheck.zipped(plan.experiment()), p -> p);
    }

    @Test
    void theZippedPartnerMovesWithTheContrastedAxis() throws IOException {
        ExperimentPlan plan = plan(with(ZIPPED, "contrasts:",
                "  - {treatment: {model.normalization: batchnorm}, baseline: {model.normalization: none}}"));
        ContrastCheck.check(plan);
        List<Contrasts.Pair<java.util.Map<String, String>>> pairs = pairs(plan, plan.experiment().contrasts().get(0));
        assertEquals(1, pairs.size());
        assertEquals(List.of("he", "he"), pairs.get(0).treatment().stream().map(r -> r.get("model.init")).toList());
        assertEquals(List.of("zero-residual", "zero-residual"),
                pairs.get(0).baseline().stream().map(r -> r.get("model.init")).toList());
    }

    @Test
    void sidesThatPairUpNowhereNameTheSettingThatKeepsThemApart() throws IOException {
        String message = refused("name: apart", "base: {model.init: he}", "zip:",
                "  - model.normalization: [batchnorm, none, none]", "    model.depth: [8, 14, 20]", "seeds: [1]",
                "contrasts:", "  - \"model.normalization: batchnorm vs none\"");
        assertTrue(message.contains("line 8"), message);
        assertTrue(message.contains("pair up nowhere: model.depth is 8 in the treatment runs and 14, 20 in the "
                + "baseline runs"), message);
    }

    @Test
    void aReferenceOnASettingEveryRunSharesIsFine_oneOnAnAbsentValueIsRefused() throws IOException {
        ContrastCheck.check(plan(with(ZIPPED, "references:",
                "  - {match: {model.depth: 8}, metric: test_error_pct, value: 8.75}")));
        String message = refused(with(ZIPPED, "references:",
                "  - {match: {model.depth: 8}, metric: test_error_pct, value: 8.75}",
                "  - {match: {model.depth: 20}, metric: test_error_pct, value: 8.75}"));
        assertTrue(message.contains("line 9"), message);
        assertTrue(message.contains("{model.depth: 20} selects no planned run (model.depth takes 8)"), message);
    }

    @Test
    void aContrastMetricIsOneOfTheKnownOnes() throws IOException {
        ExperimentPlan plan = plan(with(ZIPPED, "contrasts:", "  - {treatment: {model.normalization: batchnorm}, "
                + "baseline: {model.normalization: none}, metric: best_test_acc_pct}"));
        assertEquals(Contrast.BEST_ACCURACY, plan.experiment().contrasts().get(0).metric());
        SpecException e = assertThrows(SpecException.class, () -> plan(with(ZIPPED, "contrasts:",
                "  - {treatment: {model.normalization: batchnorm}, baseline: {model.normalization: none}, "
                        + "metric: top5}")));
        assertTrue(e.getMessage().contains("line 8: contrasts[].metric: unknown metric 'top5' (known: "
                + "final_test_acc_pct, best_test_acc_pct"), e.getMessage());
    }

    @Test
    void theRecordKeepsTheMetricAndTheZipAxes_notWhereItWasDeclared() throws IOException {
        ExperimentPlan plan = plan(with(ZIPPED, "contrasts:", "  - {treatment: {model.normalization: batchnorm}, "
                + "baseline: {model.normalization: none}, metric: final_test_loss}"));
        ExperimentRecord.of(plan).writeTo(tmp);
        ExperimentRecord read = ExperimentRecord.read(tmp).orElseThrow();
        assertEquals(Contrast.FINAL_LOSS, read.contrasts().get(0).metric());
        assertEquals(plan.experiment().contrasts(), read.contrasts());
        assertEquals(List.of(List.of("model.normalization", "model.init")), read.zipped());
        assertFalse(Files.readString(tmp.resolve(ExperimentRecord.FILE)).contains("\"where\""));
    }

    private static final String[] NORMALIZERS = {"name: norms", "base: {model.depth: 8}",
            "grid: {model.normalization: [batchnorm, {type: groupnorm, groups: 8}, {type: groupnorm, groups: 4},"
                    + " {type: ghostbatchnorm, virtual_batch_size: 32}]}", "seeds: [1, 2]"};

    @Test
    void anArmIsNamedByItsLabelOrAShortForm() throws IOException {
        ExperimentPlan plan = plan(with(NORMALIZERS, "contrasts:",
                "  - \"model.normalization: groupnorm(groups=8) vs bn\"",
                "  - \"model.normalization: {type: groupnorm, groups: 8} vs batchnorm(decay=0.9)\"",
                "  - \"model.normalization: '{type:groupnorm,groups:8}' vs batchnorm\"",
                "  - \"model.normalization: ghostbatchnorm vs batchnorm\"",
                "  - \"model.normalization: gbn(virtual_batch_size=32) vs GN(groups=4)\"",
                "  - {treatment: {model.normalization: {type: groupnorm, groups: 8}},"
                        + " baseline: {model.normalization: batchnorm}}"));
        ContrastCheck.check(plan);
        List<java.util.Map<String, String>> runs = plan.runs().stream().map(Settings::of).toList();
        List<String> treatments = plan.experiment().contrasts().stream()
                .map(c -> Contrasts.resolved(c, runs).treatment().get("model.normalization")).toList();
        assertEquals(List.of("{type:groupnorm,groups:8}", "{type:groupnorm,groups:8}", "{type:groupnorm,groups:8}",
                "{type:ghostbatchnorm,virtual_batch_size:32}", "{type:ghostbatchnorm,virtual_batch_size:32}",
                "{type:groupnorm,groups:8}"), treatments);
        assertEquals("{type:groupnorm,groups:4}", Contrasts.resolved(plan.experiment().contrasts().get(4), runs)
                .baseline().get("model.normalization"));
        for (Contrast contrast : plan.experiment().contrasts()) {
            List<Contrasts.Pair<java.util.Map<String, String>>> pairs = pairs(plan, contrast);
            assertEquals(1, pairs.size(), contrast.toString());
            assertEquals(2, pairs.get(0).treatment().size(), contrast.toString());
            assertEquals(2, pairs.get(0).baseline().size(), contrast.toString());
        }
    }

    @Test
    void aShortFormThatNamesSeveralArmsOrNoneIsOneClearError() throws IOException {
        String ambiguous = refused(with(NORMALIZERS, "contrasts:",
                "  - \"model.normalization: groupnorm vs batchnorm\""));
        assertTrue(ambiguous.startsWith(tmp.resolve("x.yaml") + ", line 6: contrast "), ambiguous);
        assertTrue(ambiguous.contains("treatment: model.normalization: 'groupnorm' is ambiguous: it names "
                + "{type:groupnorm,groups:8}, {type:groupnorm,groups:4}; write one of them or its short form "
                + "(groupnorm(groups=8), groupnorm(groups=4))"), ambiguous);
        assertFalse(ambiguous.contains("\n"), ambiguous);
        String unknown = refused(with(NORMALIZERS, "contrasts:",
                "  - {treatment: {model.normalization: batchnorm}, baseline: {model.normalization: gn(groups=16)}}"));
        assertTrue(unknown.contains("baseline: model.normalization: 'gn(groups=16)' names none of the runs' values "
                + "of type groupnorm ({type:groupnorm,groups:8}, {type:groupnorm,groups:4})"), unknown);
        String absent = refused(with(NORMALIZERS, "contrasts:",
                "  - \"model.normalization: layernorm vs batchnorm\""));
        assertTrue(absent.contains("treatment: {model.normalization: layernorm} selects no planned run"), absent);
    }
}
