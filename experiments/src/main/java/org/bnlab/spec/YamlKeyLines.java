package org.bnlab.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key in a YAML document, by dotted path ({@code base.model.depth}, also when written as a dotted
 * key {@code model.depth:} under {@code base:}), so that errors found after the file was turned into a tree can
 * still name the line. Keys inside lists get {@code []} as their index ({@code zip[].model.init}).
 */
public final class YamlKeyLines {

    private final Map<String, Integer> lines;

    private YamlKeyLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** Reads the key lines of {@code text}; a text that is not YAML gives an empty map (the reader reports it). */
    public static YamlKeyLines of(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = SpecCodec.yaml().getFactory().createParser(text)) {
            Deque<String> containers = new ArrayDeque<>();
            String field = null;
            String current = "";
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case FIELD_NAME -> {
                        field = join(current, parser.currentName());
                        lines.putIfAbsent(field, parser.currentTokenLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        containers.push(current);
                        String here = field != null ? field : current;
                        if (token == JsonToken.START_ARRAY) {
                            here = here + "[]";
                        }
                        current = here;
                        field = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        current = containers.isEmpty() ? "" : containers.pop();
                        field = null;
                    }
                    default -> field = null;
                }
            }
        } catch (IOException e) {
            return new YamlKeyLines(Map.of());
        }
        return new YamlKeyLines(lines);
    }

    /** The 1-based line of the key at {@code path}, or -1 when the document has no such key. */
    public int line(String path) {
        return lines.getOrDefault(path, -1);
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
