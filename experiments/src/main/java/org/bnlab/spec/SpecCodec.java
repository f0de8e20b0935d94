package org.bnlab.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.bnlab.data.Layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads and writes {@link RunSpec} as JSON ({@code config.json}) and YAML (experiment files), edits its tree by
 * dotted path ({@code model.normalization.decay}), and computes a run's identity hash.
 *
 * <p>Reading is strict: unknown keys, wrong types (a string where a number belongs, 20.5 for an integer) and
 * impossible values (the records' own checks) fail with a {@link SpecException} naming the key path, the place
 * that set it (see {@link Origins}) and the reason.
 */
public final class SpecCodec {

    /** Keys that say where things are or whether to fetch them, not what the run is: left out of the hash. */
    private static final List<String> NOT_IDENTITY = List.of("data.root", "data.download");

    private static final ObjectMapper JSON = configure(JsonMapper.builder())
            .enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())).build();

    private SpecCodec() {
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        SimpleModule layouts = new SimpleModule("bnlab-layout");
        layouts.addSerializer(Layout.class, new StdSerializer<>(Layout.class) {
            @Override
            public void serialize(Layout value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.name().toLowerCase(Locale.ROOT));
            }
        });
        layouts.addDeserializer(Layout.class, new StdDeserializer<>(Layout.class) {
            @Override
            public Layout deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                for (Layout layout : Layout.values()) {
                    if (layout.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                        return layout;
                    }
                }
                return (Layout) ctxt.handleWeirdStringValue(Layout.class, String.valueOf(text),
                        "unknown layout (expected nhwc or nchw)");
            }
        });
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(layouts)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // a key written twice (in config.json, a --set value) is an error, not the second one silently
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);
    }

    /** The YAML mapper (snake_case, strict), for experiment files. */
    public static ObjectMapper yaml() {
        return YAML;
    }

    /** The JSON mapper (snake_case, strict, indented), for {@code config.json}. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** The specification as a tree (every key present, nulls included). */
    public static ObjectNode tree(RunSpec spec) {
        return JSON.valueToTree(spec);
    }

    /** The specification as indented JSON with a trailing newline. */
    public static String toJson(RunSpec spec) {
        return write(JSON, spec);
    }

    /** The specification as YAML. */
    public static String toYaml(RunSpec spec) {
        return write(YAML, spec);
    }

    /**
     * Reads a whole specification (e.g. a {@code config.json}); every key must be present.
     *
     * @param where named in errors, e.g. the file
     * @throws SpecException if the text is not a valid specification
     */
    public static RunSpec fromJson(String text, String where) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SpecException(where + ": not well-formed JSON: " + oneLine(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new SpecException(where + ": not a JSON object");
        }
        Origins origins = new Origins();
        origins.record("", where);
        return toSpec(tree, origins);
    }

    /**
     * Converts a complete tree to a specification.
     *
     * @throws SpecException naming the key path, where it was set and why it is wrong
     */
    public static RunSpec toSpec(JsonNode tree, Origins origins) {
        try {
            return JSON.treeToValue(tree, RunSpec.class);
        } catch (JsonMappingException e) {
            String path = path(e);
            Checks.InvalidField field = invalidField(e);
            if (field != null && !path.endsWith("." + field.field) && !path.equals(field.field)) {
                path = path.isEmpty() ? field.field : path + "." + field.field;
            }
            String where = origins.of(path);
            // "--set train.epochs: expected ..." rather than naming the key twice
            boolean named = where != null && where.equals("--set " + path);
            throw new SpecException((where == null ? "" : where + ": ") + (path.isEmpty() || named ? "" : path + ": ")
                    + reason(e), e);
        } catch (JsonProcessingException e) {
            throw new SpecException(oneLine(e), e);
        }
    }

    /** Parses a command-line or file value as YAML: {@code 0.1}, {@code none}, {@code [0.5, 0.75]}, {@code {decay: 0.99}}. */
    public static JsonNode parseValue(String text) {
        try {
            JsonNode value = YAML.readTree(text);
            return value == null || value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value;
        } catch (JsonProcessingException e) {
            throw new SpecException("cannot read value '" + text + "': " + oneLine(e));
        }
    }

    /**
     * Sets the value at a dotted path, creating the objects on the way. An object value that names a
     * {@code type} replaces what was there; another object is merged key by key.
     *
     * @throws SpecException if a parent on the path holds a plain value (e.g. setting
     *                       {@code model.normalization.decay} where normalization is {@code none} given as text)
     */
    public static void set(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(keys[i]);
            } else if (child.isTextual() && i > 0) {
                // a value given as text ("batchnorm") that is about to get parameters becomes {type: text}
                ObjectNode typed = node.putObject(keys[i]);
                typed.put("type", child.asText());
                child = typed;
            } else if (!child.isObject()) {
                throw new SpecException(String.join(".", java.util.Arrays.copyOf(keys, i + 1)) + " is " + child
                        + ", which has no key '" + keys[i + 1] + "'");
            }
            node = (ObjectNode) child;
        }
        String last = keys[keys.length - 1];
        JsonNode existing = node.get(last);
        if (value.isObject() && !value.has("type") && existing != null && existing.isObject()) {
            merge((ObjectNode) existing, value, "", null, null);
        } else {
            node.set(last, value.deepCopy());
        }
    }

    /**
     * Merges {@code overrides} (nested objects, dotted keys, or both) into {@code target}, recording each set path in
     * {@code origins} under {@code where} when given.
     */
    public static void merge(ObjectNode target, JsonNode overrides, String prefix, Origins origins,
                             java.util.function.Function<String, String> where) {
        if (overrides == null || overrides.isNull()) {
            return;
        }
        if (!overrides.isObject()) {
            throw new SpecException((prefix.isEmpty() ? "overrides" : prefix) + " must be a mapping of keys to values");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = at(target, path);
            if (value.isObject() && !value.has("type") && (existing == null || existing.isObject())) {
                // key by key, so that each setting keeps its own origin (and line)
                if (existing == null) {
                    set(target, path, JsonNodeFactory.instance.objectNode());
                }
                merge(target, value, path, origins, where);
                continue;
            }
            set(target, path, value);
            if (origins != null) {
                origins.record(path, where.apply(path));
            }
        }
    }

    /** The node at a dotted path, or null. */
    public static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String key : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node;
    }

    /**
     * Keys read only by the report ({@code eval.target_accuracy}, {@code measure.probe_layers}: which layers it plots)
     * or by {@code bnlab analyze} (the analysis settings, which its own markers record): neither training nor any file
     * written during training reads them, so they are not part of a run's identity. {@code eval.batch_size} is: the
     * per-epoch evaluation runs in batches of it. Marked {@link SettingKind.ReportOnly} on the components of
     * {@link EvalSpec} and {@link MeasureSpec}.
     */
    public static final List<String> REPORT_ONLY = concat(
            SettingKind.paths("eval", EvalSpec.class, SettingKind.ReportOnly.class),
            SettingKind.paths("measure", MeasureSpec.class, SettingKind.ReportOnly.class));

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /**
     * A short hash of a run's {@linkplain #identity identity} (8 hex digits of SHA-256 over its canonical JSON), the
     * same in every JVM and on every machine.
     */
    public static String hash(RunSpec spec) {
        return digest(identity(spec));
    }

    /**
     * What makes a run this run: the resolved specification, keys sorted, without where the data lives
     * ({@code data.root}, {@code data.download}) and with the {@linkplain #REPORT_ONLY report-only keys} at their
     * defaults (so that a specification at defaults keeps the hash it had before those keys were set apart). The
     * hash and the check that a run folder holds this run both use it.
     */
    public static JsonNode identity(RunSpec spec) {
        ObjectNode tree = tree(spec);
        ObjectNode defaults = tree(RunSpec.DEFAULT);
        for (String path : REPORT_ONLY) {
            int dot = path.lastIndexOf('.');
            JsonNode parent = at(tree, path.substring(0, dot));
            JsonNode defaultParent = at(defaults, path.substring(0, dot));
            String key = path.substring(dot + 1);
            if (parent instanceof ObjectNode object && defaultParent != null && defaultParent.has(key)) {
                object.set(key, defaultParent.get(key).deepCopy());
            }
        }
        return sorted(withoutLocation(withoutLaterDefaults(tree)));
    }

    /**
     * Whether the key at {@code path} (dotted, e.g. {@code eval.target_accuracy}) is part of a run's
     * {@linkplain #identity identity}: false for the {@linkplain #REPORT_ONLY report-only keys} and for where the
     * data lives ({@code data.root}, {@code data.download}), true for every other path.
     */
    public static boolean isIdentity(String path) {
        return !REPORT_ONLY.contains(path) && !NOT_IDENTITY.contains(path);
    }

    /** Whether two specifications are the same run ({@linkplain #identity equal identities}). */
    public static boolean sameIdentity(RunSpec a, RunSpec b) {
        return identity(a).equals(identity(b));
    }

    private static ObjectNode withoutLocation(ObjectNode tree) {
        for (String path : NOT_IDENTITY) {
            int dot = path.lastIndexOf('.');
            JsonNode parent = at(tree, path.substring(0, dot));
            if (parent instanceof ObjectNode object) {
                object.remove(path.substring(dot + 1));
            }
        }
        return tree;
    }

    private static String digest(JsonNode canonical) {
        try {
            return org.bnlab.io.ShortHash.of(JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a specification", e);
        }
    }

    /**
     * Keys added to the specification after schema version 2 was first written (those of {@code eval} and
     * {@code measure} marked {@link SettingKind.AddedLater} on their components). Where one holds its default value it
     * is left out of {@code config.json} and of the hash, so that run folders written before the key existed keep
     * their ids and are still reused (their {@code config.json} reads back with the default).
     */
    private static final List<String> LATER_KEYS = concat(concat(concat(
            List.of("model.init_from", "train.schedule.warmup_type"),
            SettingKind.paths("eval", EvalSpec.class, SettingKind.AddedLater.class)),
            SettingKind.paths("measure", MeasureSpec.class, SettingKind.AddedLater.class)),
            SettingKind.paths("data", DataSpec.class, SettingKind.AddedLater.class));

    /**
     * The tree without the {@linkplain #LATER_KEYS keys added later} that hold their defaults ({@code model.init_from}
     * where it is null, the analysis settings of {@code eval}, the probe of {@code measure}).
     */
    public static ObjectNode withoutLaterDefaults(ObjectNode tree) {
        ObjectNode defaults = tree(RunSpec.DEFAULT);
        for (String path : LATER_KEYS) {
            int dot = path.lastIndexOf('.');
            JsonNode parent = at(tree, path.substring(0, dot));
            JsonNode defaultParent = at(defaults, path.substring(0, dot));
            String key = path.substring(dot + 1);
            if (parent instanceof ObjectNode object && object.has(key) && defaultParent != null
                    && object.get(key).equals(defaultParent.get(key))) {
                object.remove(key);
            }
        }
        return tree;
    }

    /**
     * Renders a value for labels and tables: text as is, numbers plainly ({@code 0.1}, {@code 1e-05} as 0.00001), a
     * {@code model.init_from} by what it copies ({@code batchnorm} or {@code all}).
     */
    public static String label(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isNumber()) {
            return new java.math.BigDecimal(value.asText()).stripTrailingZeros().toPlainString();
        }
        if (value.isObject() && value.has("type") && value.size() == 1) {
            return value.get("type").asText();
        }
        if (value.isObject() && value.size() == 2 && value.has("match") && value.has("parameters")) {
            return value.get("parameters").asText(); // model.init_from: what it copies (the source is in run.json)
        }
        return value.toString().replace("\"", "");
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        return node;
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            String text = mapper.writeValueAsString(value);
            return text.endsWith("\n") ? text : text + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private static String path(JsonMappingException e) {
        List<String> keys = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                keys.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0 && !keys.isEmpty()) {
                keys.set(keys.size() - 1, keys.get(keys.size() - 1) + "[" + ref.getIndex() + "]");
            }
        }
        return String.join(".", keys);
    }

    private static Checks.InvalidField invalidField(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Checks.InvalidField field) {
                return field;
            }
        }
        return null;
    }

    private static String reason(JsonMappingException e) {
        Checks.InvalidField field = invalidField(e);
        if (field != null) {
            return field.getMessage();
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown key" + (known.isEmpty() ? "" : " (known here: " + known + ")");
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null) {
            return e.getCause().getMessage();
        }
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        message = message.replaceAll("\\s*\\R\\s*", " ").strip();
        if (message.startsWith("Missing creator property")) {
            return "missing key";
        }
        java.util.regex.Matcher coerce = java.util.regex.Pattern
                .compile("Cannot coerce [A-Za-z-]+ value \\(?(.*?)\\)? to `(?:java\\.lang\\.)?(\\w+)` value.*")
                .matcher(message);
        if (coerce.matches()) {
            String type = switch (coerce.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "int", "integer", "long" -> "a whole number";
                case "double", "float" -> "a number";
                case "boolean" -> "true or false";
                default -> "a " + coerce.group(2);
            };
            return "expected " + type + ", got " + coerce.group(1);
        }
        // Jackson names Java types; users know the YAML
        message = message.replaceAll("`[a-z.]+\\.([A-Za-z]+)`", "$1").replace("java.lang.", "");
        message = message.replaceAll(" \\(but [^)]*CoercionConfig[^)]*\\)", "");
        int cut = message.indexOf(" (through reference chain");
        message = cut > 0 ? message.substring(0, cut) : message;
        // an unknown name of an enum (model.init, train.optimizer, ...): the value and the names it could be
        return message.replaceAll("^Cannot deserialize value of type \\w+ from String (\".*\"): not one of the"
                + " values accepted for Enum class: \\[(.*)\\]$", "unknown value $1 (expected one of: $2)");
    }

    /** Jackson's message and location on one line. */
    public static String oneLine(JsonProcessingException e) {
        return org.bnlab.results.SummaryJson.oneLine(e);
    }
}
