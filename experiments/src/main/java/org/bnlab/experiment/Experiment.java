package org.bnlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bnlab.spec.Origins;
import org.bnlab.spec.SpecCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment: a question, where it comes from, the changes to the default {@link org.bnlab.spec.RunSpec} that
 * all its runs share ({@code base}), the grid of what varies, the seeds, the contrasts the report computes and the
 * published values to compare with. Read from a YAML file by {@link ExperimentFiles}, or built in Java with
 * {@link #builder(String)} for an experiment that needs code; both expand and run the same way
 * ({@link ExperimentPlan}).
 *
 * @param name       a file-name-safe name; the default results folder is {@code results/<name>}
 * @param question   the question it answers, one sentence
 * @param source     where the question or protocol comes from (paper, section, table), or empty
 * @param base       overrides of the default specification (nested keys), shared by every run
 * @param origins    where each override was written, for errors
 * @param axes       the grid's axes, in order (the last varies fastest)
 * @param seeds      the seeds; every grid point runs once per seed (empty: the specification's seed)
 * @param contrasts  what the report compares
 * @param references published values for a paper-vs-measured table
 * @param analyze    whether {@code bnlab run} ends with the inference-phase analysis of the finished runs
 *                   ({@code bnlab analyze}, in the modes of each run's {@code eval.modes}) before the report
 */
public record Experiment(String name, String question, String source, ObjectNode base, Origins origins,
                         List<Axis> axes, List<Long> seeds, List<Contrast> contrasts, List<Reference> references,
                         boolean analyze) {

    public Experiment {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("experiment name must be letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        question = question == null ? "" : question.strip();
        source = source == null ? "" : source.strip();
        axes = List.copyOf(axes);
        seeds = List.copyOf(seeds);
        contrasts = List.copyOf(contrasts);
        references = List.copyOf(references);
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("experiment " + name + " lists a seed twice: " + seeds);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds an experiment in Java, in the same terms as a file. */
    public static final class Builder {
        private final String name;
        private String question = "";
        private String source = "";
        private final ObjectNode base = JsonNodeFactory.instance.objectNode();
        private final Origins origins = new Origins();
        private final List<Axis> axes = new ArrayList<>();
        private final List<Long> seeds = new ArrayList<>();
        private final List<Contrast> contrasts = new ArrayList<>();
        private final List<Reference> references = new ArrayList<>();
        private boolean analyze;

        private Builder(String name) {
            this.name = name;
        }

        public Builder question(String text) {
            question = text;
            return this;
        }

        public Builder source(String text) {
            source = text;
            return this;
        }

        /** Sets a dotted path of the base specification; the value is read as YAML ({@code "0.1"}, {@code "none"}). */
        public Builder set(String path, String value) {
            SpecCodec.set(base, path, SpecCodec.parseValue(value));
            origins.record(path, "experiment " + name);
            return this;
        }

        /** A grid axis; each value is read as YAML. */
        public Builder grid(String path, String... values) {
            axes.add(Axis.of(path, Arrays.stream(values).map(SpecCodec::parseValue).toList(), "experiment " + name));
            return this;
        }

        /** A zipped axis: path -> values, all of one length; values are read as YAML. */
        public Builder zip(Map<String, List<String>> columns) {
            Map<String, List<JsonNode>> parsed = new LinkedHashMap<>();
            columns.forEach((path, values) -> parsed.put(path, values.stream().map(SpecCodec::parseValue).toList()));
            axes.add(Axis.zip(parsed, "experiment " + name));
            return this;
        }

        public Builder seeds(long... values) {
            Arrays.stream(values).forEach(seeds::add);
            return this;
        }

        public Builder contrast(Contrast contrast) {
            contrasts.add(contrast);
            return this;
        }

        public Builder reference(Reference reference) {
            references.add(reference);
            return this;
        }

        /** Whether {@code bnlab run} analyses the finished runs before the report. */
        public Builder analyze(boolean value) {
            analyze = value;
            return this;
        }

        public Experiment build() {
            return new Experiment(name, question, source, base, origins, axes, seeds, contrasts, references, analyze);
        }
    }
}
