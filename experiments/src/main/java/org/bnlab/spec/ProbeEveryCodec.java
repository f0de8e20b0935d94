package org.bnlab.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/** {@code measure.probe_every} in files: a whole number of iterations, or {@code auto} ({@link MeasureSpec#AUTO}). */
final class ProbeEveryCodec {

    static final String AUTO = "auto";

    private ProbeEveryCodec() {
    }

    static final class Writer extends StdSerializer<Integer> {
        Writer() {
            super(Integer.class);
        }

        @Override
        public void serialize(Integer value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value == MeasureSpec.AUTO) {
                gen.writeString(AUTO);
            } else {
                gen.writeNumber(value);
            }
        }
    }

    static final class Reader extends StdDeserializer<Integer> {
        Reader() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING && AUTO.equals(p.getText().strip())) {
                return MeasureSpec.AUTO;
            }
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                int value = p.getIntValue();
                if (value >= 0) {
                    return value;
                }
            }
            return (Integer) ctxt.handleWeirdStringValue(Integer.class, p.getText(),
                    "expected auto or a whole number of iterations >= 0 (0 = off)");
        }
    }
}
