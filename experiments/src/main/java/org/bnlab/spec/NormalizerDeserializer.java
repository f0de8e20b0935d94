package org.bnlab.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a {@link Normalizer} from a type's name ({@code batchnorm}, {@code none}, or an alias such as {@code bn}) or
 * an object with a {@code type}; parameters not given take the type's defaults ({@code DEFAULT}), and a parameter
 * the type does not have is an error. Works for every type in {@link Normalizers}: a type's parameters are the
 * fields of its written form.
 */
final class NormalizerDeserializer extends StdDeserializer<Normalizer> {

    NormalizerDeserializer() {
        super(Normalizer.class);
    }

    @Override
    public Normalizer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        if (node.isTextual()) {
            return ofType(node.asText(), context);
        }
        if (!node.isObject() || !node.hasNonNull("type")) {
            return (Normalizer) context.handleUnexpectedToken(Normalizer.class, parser.currentToken(), parser,
                    "normalization must be " + quotedNames() + " or an object with a type, got " + node);
        }
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        Normalizer kind = ofType(fields.remove("type").asText(), context);
        ObjectNode merged = SpecCodec.json().valueToTree(kind);
        merged.remove("type");
        List<String> parameters = new ArrayList<>();
        merged.fieldNames().forEachRemaining(parameters::add);
        for (String name : parameters) {
            JsonNode value = fields.remove(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (merged.get(name).isNumber() && !value.isNumber()) {
                context.reportInputMismatch(Normalizer.class, "normalization " + name + " must be a number, got "
                        + value);
            }
            merged.set(name, value);
        }
        Iterator<String> others = fields.fieldNames();
        if (others.hasNext()) {
            context.reportInputMismatch(Normalizer.class, "normalization " + kind.type() + " has no parameter '"
                    + others.next() + "'" + (parameters.isEmpty() ? ""
                    : " (it has " + String.join(" and ", parameters) + ")"));
        }
        if (parameters.isEmpty()) {
            return kind;
        }
        try {
            return SpecCodec.json().treeToValue(merged, kind.getClass());
        } catch (IllegalArgumentException | IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Normalizer.InvalidParameter invalid) {
                    throw new Checks.InvalidField(invalid.parameter(), invalid.getMessage());
                }
            }
            throw e;
        }
    }

    private static Normalizer ofType(String type, DeserializationContext context) throws IOException {
        java.util.Optional<Normalizer> known = Normalizers.named(type);
        if (known.isPresent()) {
            return known.get();
        }
        return (Normalizer) context.handleWeirdStringValue(Normalizer.class, type,
                "unknown normalization (expected " + Normalizers.names() + ")");
    }

    private static String quotedNames() {
        return "'" + String.join("', '", Normalizers.all().stream().map(Normalizer::type).toList()) + "'";
    }
}
