package org.bnlab.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import org.bnlab.model.Architecture;
import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every setting of a run with its default and its description, read from the specification itself: the paths and
 * defaults from {@link RunSpec#DEFAULT} as {@code config.json} writes it, the descriptions from the
 * {@link com.fasterxml.jackson.annotation.JsonPropertyDescription} on each record component. So a key is described
 * once, where it is declared; {@code docs/specification.md} holds this table ({@code bnlab settings} prints it,
 * and a test fails when the two differ or a key has no description).
 *
 * <p>A setting whose value is a record of the specification with a non-null default is described by its own
 * settings, one row each ({@code train.schedule.factor}); any other value (a number, a list, a normalizer) is one
 * row. A record that is null by default ({@code model.init_from}) is a row followed by its settings, without
 * defaults.
 *
 * <p>Where a setting's choices are a registry's (the normalizers, the architectures, the evaluation modes), its
 * description holds a placeholder ({@link #NORMALIZERS}, ...) that the table replaces with what the registry holds,
 * so that a new normalizer, network or mode is described where it is declared and nowhere else.
 */
public final class SettingsTable {

    /** Placeholder: each normalizer type ({@link Normalizers#all()}) with its {@link JsonClassDescription}. */
    public static final String NORMALIZERS = "${normalizers}";
    /** Placeholder: each normalizer type with the names of its parameters (written in {@link Normalizer#type()}). */
    public static final String NORMALIZER_PARAMETERS = "${normalizer parameters}";
    /** Placeholder: each {@link Architecture} with its {@link Architecture#description()}. */
    public static final String ARCHITECTURES = "${architectures}";
    /** Placeholder: the evaluation modes' names ({@link EvalSpec#MODES}). */
    public static final String EVALUATION_MODES = "${evaluation modes}";

    private static final Map<String, Supplier<String>> REGISTRIES = Map.of(
            NORMALIZERS, SettingsTable::normalizers,
            NORMALIZER_PARAMETERS, SettingsTable::normalizerParameters,
            ARCHITECTURES, () -> Arrays.stream(Architecture.values())
                    .map(a -> "`" + a.id() + "`: " + a.description()).collect(Collectors.joining("; ")),
            EVALUATION_MODES, () -> String.join(", ", EvalSpec.MODES));

    /** One setting: its dotted path, its default as an experiment file writes it, its description (or null). */
    public record Row(String path, String defaultValue, String description) {
    }

    private SettingsTable() {
    }

    /** The settings in {@code config.json}'s order. */
    public static List<Row> rows() {
        ObjectMapper json = SpecCodec.json();
        List<Row> rows = new ArrayList<>();
        collect(json, json.constructType(RunSpec.class), RunSpec.DEFAULT, SpecCodec.tree(RunSpec.DEFAULT), "", rows);
        return rows;
    }

    /** The paths that have no description (a test requires none). */
    public static List<String> undescribed() {
        return rows().stream().filter(r -> r.description() == null || r.description().isBlank()).map(Row::path)
                .toList();
    }

    /** The table in Markdown: path, default, meaning. */
    public static String markdown() {
        StringBuilder out = new StringBuilder("| path | default | meaning |\n|---|---|---|\n");
        for (Row row : rows()) {
            out.append("| `").append(row.path()).append("` | ").append(cell(row.defaultValue())).append(" | ")
                    .append(row.description() == null ? "" : row.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String value) {
        return value.isEmpty() ? "" : "`" + value + "`";
    }

    /** A default as one would write it in an experiment file: {@code [0.5, 0.75]}, {@code {type: batchnorm, ...}}. */
    static String written(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(written(item)));
            return "[" + String.join(", ", items) + "]";
        }
        if (value.isObject()) {
            List<String> items = new ArrayList<>();
            value.fields().forEachRemaining(e -> items.add(e.getKey() + ": " + written(e.getValue())));
            return "{" + String.join(", ", items) + "}";
        }
        return SpecCodec.label(value);
    }

    private static void collect(ObjectMapper json, JavaType type, Object value, JsonNode defaults, String prefix,
                                List<Row> rows) {
        Map<String, BeanPropertyDefinition> properties = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : json.getSerializationConfig().introspect(type).findProperties()) {
            properties.put(p.getName(), p);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            BeanPropertyDefinition property = properties.get(field.getKey());
            String path = prefix + field.getKey();
            String description = property == null ? null : described(property);
            Class<?> declared = property == null ? Object.class : property.getPrimaryType().getRawClass();
            if (declared.isRecord() && field.getValue().isObject()) {
                collect(json, property.getPrimaryType(), property.getAccessor().getValue(value), field.getValue(),
                        path + ".", rows);
                continue;
            }
            rows.add(new Row(path, written(field.getValue()), description));
            if (declared.isRecord()) {
                unset(json, property.getPrimaryType(), path + ".", rows);
            } else if (declared.isSealed() && field.getValue().isObject()) {
                // one of several types (a normalizer): the default's own settings, found by its type
                Object chosen = property.getAccessor().getValue(value);
                collect(json, json.constructType(chosen.getClass()), chosen, field.getValue(), path + ".", rows);
                otherTypes(json, declared, chosen.getClass(), path + ".", rows);
            }
        }
    }

    /**
     * The parameters of the other types of a sealed setting (the other normalizers) that the default's type does not
     * have, each with its type's default ({@code DEFAULT}), written {@code 3 (batchrenorm)}.
     */
    private static void otherTypes(ObjectMapper json, Class<?> sealed, Class<?> chosen, String prefix,
                                   List<Row> rows) {
        for (Class<?> type : sealed.getPermittedSubclasses()) {
            if (type == chosen) {
                continue;
            }
            Object defaults;
            try {
                defaults = type.getField("DEFAULT").get(null);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            JsonNode tree = json.valueToTree(defaults);
            String name = tree.path("type").asText(type.getSimpleName());
            for (BeanPropertyDefinition p : json.getSerializationConfig().introspect(json.constructType(type))
                    .findProperties()) {
                String path = prefix + p.getName();
                if (p.getName().equals("type") || !tree.has(p.getName())
                        || rows.stream().anyMatch(r -> r.path().equals(path))) {
                    continue;
                }
                rows.add(new Row(path, written(tree.get(p.getName())) + " (" + name + ")", described(p)));
            }
        }
    }

    /** The settings of a record that is null by default ({@code model.init_from}): no default of their own. */
    private static void unset(ObjectMapper json, JavaType type, String prefix, List<Row> rows) {
        for (BeanPropertyDefinition p : json.getSerializationConfig().introspect(type).findProperties()) {
            rows.add(new Row(prefix + p.getName(), "", described(p)));
            if (p.getPrimaryType().getRawClass().isRecord()) {
                unset(json, p.getPrimaryType(), prefix + p.getName() + ".", rows);
            }
        }
    }

    /**
     * The property's description with each placeholder replaced by its registry's text.
     *
     * @throws IllegalStateException on a placeholder no registry answers (a typo would otherwise reach the page)
     */
    private static String described(BeanPropertyDefinition property) {
        String description = property.getMetadata().getDescription();
        if (description == null) {
            return null;
        }
        for (Map.Entry<String, Supplier<String>> registry : REGISTRIES.entrySet()) {
            if (description.contains(registry.getKey())) {
                description = description.replace(registry.getKey(), registry.getValue().get());
            }
        }
        if (description.contains("${")) {
            throw new IllegalStateException("no registry for the placeholder in the description of "
                    + property.getName() + ": " + description);
        }
        return description;
    }

    /** {@code `batchnorm` (BatchNorm, Ioffe and Szegedy 2015), ... or `ghostbatchnorm` (Hoffer et al. 2017)}. */
    private static String normalizers() {
        return Normalizers.listed(n -> true, n -> {
            JsonClassDescription about = n.getClass().getAnnotation(JsonClassDescription.class);
            String notes = (about == null ? "" : about.value())
                    + (n.followsDense() ? "" : (about == null ? "" : "; ") + "not after a Dense layer, so not in an mlp");
            return "`" + n.type() + "`" + (notes.isEmpty() ? "" : " (" + notes + ")");
        });
    }

    /** {@code `batchnorm` (parameters `decay`, `epsilon`), `none`, ...}: each type's parameters but its type. */
    private static String normalizerParameters() {
        ObjectMapper json = SpecCodec.json();
        return Normalizers.listed(n -> true, n -> {
            List<String> parameters = new ArrayList<>();
            json.valueToTree(n).fieldNames().forEachRemaining(name -> {
                if (!name.equals("type")) {
                    parameters.add("`" + name + "`");
                }
            });
            return "`" + n.type() + "`" + (parameters.isEmpty() ? ""
                    : " (parameter" + (parameters.size() == 1 ? " " : "s ") + String.join(", ", parameters) + ")");
        });
    }
}
