package org.bnlab.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document (an experiment file) into a tree, refusing what YAML allows but the tree would misread:
 *
 * <ul>
 *   <li>a key written twice: a second {@code grid:} or {@code seeds:} in one mapping, or one setting spelt twice
 *   ({@code model.depth: 8} beside {@code model: {depth: 14}} under {@code base}). The tree would keep one of them
 *   without a word; the error names the path and both lines;</li>
 *   <li>an alias ({@code *lr}) whose anchor ({@code &lr 0.1}) is not before it, or lies around it (a value that
 *   contains itself), an alias as a key, and merge keys ({@code <<: *defaults}), which bnlab does not read.</li>
 * </ul>
 *
 * <p>Every other alias becomes a copy of its anchor's value (Jackson's YAML reader would give the anchor's name as
 * text: {@code *lr} read as "lr").
 */
public final class StrictYaml {

    private StrictYaml() {
    }

    /**
     * The tree of {@code text}, aliases resolved.
     *
     * @param where the file, for messages ({@code experiments/x.yaml})
     * @return the document's root, or null for an empty document
     * @throws JsonProcessingException for text that is not YAML (as {@link SpecCodec#yaml()} reports it)
     * @throws SpecException           {@code where, line N: path: reason} for a key written twice, an alias without
     *                                 its anchor before it or inside it, an alias as a key, or a merge key
     */
    public static JsonNode read(String text, String where) throws JsonProcessingException {
        List<Alias> aliases;
        try {
            aliases = walk(text, where);
        } catch (YAMLException e) {
            aliases = List.of(); // not YAML: Jackson's reader says where
        }
        JsonNode root = SpecCodec.yaml().readTree(text);
        for (Alias alias : aliases) {
            JsonNode value = at(root, alias.anchor);
            if (value != null) {
                put(root, alias.at, value.deepCopy());
            }
        }
        return root;
    }

    /** An alias at {@code at} (keys and indices from the root) of the value at {@code anchor}. */
    private record Alias(List<Object> at, List<Object> anchor) {
    }

    /** A mapping or a sequence being read: its place, and the keys met so far (mapping) or the next index. */
    private static final class Frame {
        final boolean mapping;
        final List<Object> at;
        final String path;
        final Map<String, Integer> keys = new HashMap<>();
        int index;
        String key; // the key whose value comes next; null where a key comes next

        Frame(boolean mapping, List<Object> at, String path) {
            this.mapping = mapping;
            this.at = at;
            this.path = path;
        }
    }

    private static List<Alias> walk(String text, String where) {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(options);
        List<Alias> aliases = new ArrayList<>();
        Map<String, List<Object>> anchors = new HashMap<>();
        Map<String, Integer> pathLines = new HashMap<>();
        Deque<Frame> frames = new ArrayDeque<>();
        frames.push(new Frame(false, List.of(), ""));
        for (Event event : yaml.parse(new StringReader(text))) {
            int line = event.getStartMark() == null ? -1 : event.getStartMark().getLine() + 1;
            Frame frame = frames.peek();
            if (event instanceof MappingEndEvent || event instanceof SequenceEndEvent) {
                frames.pop();
                continue;
            }
            if (!(event instanceof NodeEvent node)) {
                continue; // stream and document start and end
            }
            if (frame.mapping && frame.key == null) {
                if (!(event instanceof ScalarEvent scalar)) {
                    throw new SpecException(where + ", line " + line + ": " + (frame.path.isEmpty() ? "" : frame.path
                            + ": ") + (event instanceof AliasEvent ? "an alias as a key is not read; write the key"
                            : "a key must be plain text (a path or a name), not a list or a mapping"));
                }
                String key = scalar.getValue();
                String path = frame.path.isEmpty() ? key : frame.path + "." + key;
                if (key.equals("<<") && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
                    throw new SpecException(where + ", line " + line + ": " + path + ": merge keys (<<) are not "
                            + "read; write the keys out, or start from another file with extends:");
                }
                Integer first = frame.keys.putIfAbsent(key, line);
                Integer firstOfPath = pathLines.putIfAbsent(path, line);
                if (first != null || firstOfPath != null) {
                    throw new SpecException(where + ", line " + line + ": " + path + ": written twice (first at line "
                            + (first != null ? first : firstOfPath) + "); a second one would silently replace the "
                            + "first, so keep one");
                }
                frame.key = key;
                continue;
            }
            List<Object> at = new ArrayList<>(frame.at);
            String path;
            if (frame.mapping) {
                at.add(frame.key);
                path = frame.path.isEmpty() ? frame.key : frame.path + "." + frame.key;
                frame.key = null;
            } else if (frame.at.isEmpty() && frames.size() == 1) {
                path = ""; // the document's root
            } else {
                at.add(frame.index);
                path = frame.path + "[" + frame.index + "]";
                frame.index++;
            }
            String anchor = node.getAnchor();
            if (event instanceof AliasEvent) {
                List<Object> target = anchors.get(anchor);
                String shown = path.isEmpty() ? "" : path + ": ";
                if (target == null) {
                    throw new SpecException(where + ", line " + line + ": " + shown + "alias *" + anchor
                            + " has no anchor &" + anchor + " before it");
                }
                if (at.size() >= target.size() && at.subList(0, target.size()).equals(target)) {
                    throw new SpecException(where + ", line " + line + ": " + shown + "alias *" + anchor
                            + " lies inside the value it names (&" + anchor + "), which would contain itself");
                }
                aliases.add(new Alias(at, target));
                continue;
            }
            if (anchor != null) {
                anchors.put(anchor, at);
            }
            if (event instanceof MappingStartEvent) {
                frames.push(new Frame(true, at, path));
            } else if (event instanceof SequenceStartEvent) {
                frames.push(new Frame(false, at, path));
            }
        }
        return aliases;
    }

    private static JsonNode at(JsonNode root, List<Object> at) {
        JsonNode node = root;
        for (Object step : at) {
            node = node == null ? null : step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }

    private static void put(JsonNode root, List<Object> at, JsonNode value) {
        JsonNode parent = at(root, at.subList(0, at.size() - 1));
        Object last = at.get(at.size() - 1);
        if (parent instanceof ObjectNode object && last instanceof String key) {
            object.set(key, value);
        } else if (parent instanceof ArrayNode array && last instanceof Integer index && index < array.size()) {
            array.set(index, value);
        }
    }
}
