package org.bnlab.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Iterator;

/**
 * Reads a {@link NormSpec} from {@code batchnorm}, {@code none} (also {@code bn}) or an object with a {@code type};
 * parameters not given take the type's defaults, and a parameter the type does not have is an error.
 */
final class NormSpecDeserializer extends StdDeserializer<NormSpec> {

    NormSpecDeserializer() {
        super(NormSpec.class);
    }

    @Override
    public NormSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        if (node.isTextual()) {
            return ofType(node.asText(), parser, context);
        }
        if (!node.isObject() || !node.hasNonNull("type")) {
            return (NormSpec) context.handleUnexpectedToken(NormSpec.class, parser.currentToken(), parser,
                    "normalization must be 'batchnorm', 'none' or an object with a type, got " + node);
        }
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        NormSpec kind = ofType(fields.remove("type").asText(), parser, context);
        if (kind instanceof NormSpec.BatchNorm defaults) {
            double decay = number(fields, "decay", defaults.decay(), context);
            double epsilon = number(fields, "epsilon", defaults.epsilon(), context);
            rejectOthers(fields, kind, context);
            return new NormSpec.BatchNorm(decay, epsilon);
        }
        rejectOthers(fields, kind, context);
        return kind;
    }

    private static NormSpec ofType(String type, JsonParser parser, DeserializationContext context) throws IOException {
        return switch (type.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "batchnorm", "bn", "batch-norm", "batch_norm" -> NormSpec.BatchNorm.DEFAULT;
            case "none" -> new NormSpec.None();
            default -> (NormSpec) context.handleWeirdStringValue(NormSpec.class, type,
                    "unknown normalization (expected batchnorm or none)");
        };
    }

    private static double number(ObjectNode fields, String name, double fallback, DeserializationContext context)
            throws IOException {
        JsonNode value = fields.remove(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            context.reportInputMismatch(NormSpec.class, "normalization " + name + " must be a number, got " + value);
        }
        return value.asDouble();
    }

    private static void rejectOthers(ObjectNode rest, NormSpec kind, DeserializationContext context)
            throws IOException {
        Iterator<String> names = rest.fieldNames();
        if (names.hasNext()) {
            context.reportInputMismatch(NormSpec.class, "normalization " + kind.type() + " has no parameter '"
                    + names.next() + "'" + (kind.isBatchNorm() ? " (it has decay and epsilon)" : ""));
        }
    }
}
