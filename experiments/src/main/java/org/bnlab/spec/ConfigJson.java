package org.bnlab.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's {@code config.json}: its resolved specification with the schema version, written into its run folder and
 * read back to report, analyse or re-run it.
 */
public final class ConfigJson {

    /** The schema version of the files a run folder holds, {@code config.json} among them. */
    public static final int SCHEMA_VERSION = 2;

    private ConfigJson() {
    }

    /**
     * The text of {@code config.json} for {@code spec} (indented JSON, trailing newline): {@code schema_version}, then
     * the specification without the keys that sit at defaults added after schema version 2
     * ({@link SpecCodec#withoutLaterDefaults}), so that older run folders keep their text.
     */
    public static String write(RunSpec spec) {
        ObjectNode tree = SpecCodec.json().createObjectNode();
        tree.put("schema_version", SCHEMA_VERSION);
        tree.setAll(SpecCodec.withoutLaterDefaults(SpecCodec.tree(spec)));
        try {
            return SpecCodec.json().writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config.json", e);
        }
    }

    /**
     * Reads a run's {@code config.json} back into its specification (so that a run can be re-run from it). Keys the
     * specification gained after the file was written take their defaults.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read
     * @throws SpecException naming the file when it is not a specification of this schema version
     */
    public static RunSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        try {
            JsonNode tree = SpecCodec.json().readTree(text);
            if (tree instanceof ObjectNode object) {
                JsonNode version = object.remove("schema_version");
                if (version == null || version.asInt() != SCHEMA_VERSION) {
                    throw new SpecException(file + ": written by an older bnlab (no schema_version "
                            + SCHEMA_VERSION + "); it can be reported but not re-run");
                }
                // keys added to the specification since the file was written take their defaults, which by design
                // reproduce what runs did before the key existed; unknown keys are still refused
                ObjectNode complete = SpecCodec.tree(RunSpec.DEFAULT);
                Origins origins = new Origins();
                origins.record("", file.toString());
                SpecCodec.merge(complete, object, "", null, null);
                return SpecCodec.toSpec(complete, origins);
            }
        } catch (JsonProcessingException e) {
            throw new SpecException(file + ": not well-formed JSON: " + SpecCodec.oneLine(e));
        }
        throw new SpecException(file + ": not a JSON object");
    }

    /**
     * The hash ({@link SpecCodec#hash}) of the run whose {@code config.json} this is.
     *
     * @throws RuntimeException as {@link #read} when the file is absent, unreadable or of another schema version
     */
    public static String hash(Path file) {
        return SpecCodec.hash(read(file));
    }

    /**
     * Whether {@code file} is a {@code config.json} of the same run as {@code spec} ({@link SpecCodec#sameIdentity}:
     * where the data lives and the report-only settings may differ); false when it is absent or unreadable.
     */
    public static boolean holds(Path file, RunSpec spec) {
        try {
            return Files.isRegularFile(file) && SpecCodec.sameIdentity(read(file), spec);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Why {@code file} cannot be the {@code config.json} of {@code spec}'s run, or null when it can (absent, or the
     * same run): it holds another specification, or one that cannot be read (with the reason).
     */
    public static String whyNotHolding(Path file, RunSpec spec) {
        if (!Files.exists(file) || holds(file, spec)) {
            return null;
        }
        try {
            read(file);
            return "was made with a different specification";
        } catch (RuntimeException e) {
            return "holds a config.json that is not this run's (" + e.getMessage() + ")";
        }
    }
}
