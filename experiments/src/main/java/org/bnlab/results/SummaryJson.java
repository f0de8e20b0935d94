package org.bnlab.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Converts {@link RunSummary} to and from the JSON of {@code summary.json}. */
public final class SummaryJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Every field must be present (null where allowed): a summary cut short or written by a
            // mismatched version should fail to read, not turn into zeros that look like results.
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Extra fields are tolerated so that later versions may add to the summary.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A second JSON value after the first means the file was garbled (e.g. two writers).
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SummaryJson() {
    }

    public static String toJson(RunSummary summary) {
        try {
            return MAPPER.writeValueAsString(summary) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot convert summary of run " + summary.run() + " to JSON", e);
        }
    }

    /** Parses a summary; a malformed one throws {@link JsonProcessingException} for the caller to name the file. */
    public static RunSummary fromJson(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, RunSummary.class);
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code text} is exactly one JSON object, so that a
     * caller's bug in building {@code config.json} shows up when the run starts, not in a later analysis.
     */
    static void requireJsonObject(String text, String what) {
        try {
            if (!MAPPER.readTree(text).isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not well-formed JSON: " + oneLine(e), e);
        }
    }

    /** Jackson's message and location on one line, for error messages that must stay one line. */
    public static String oneLine(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return message.replaceAll("\\s*\\R\\s*", " ").strip() + where;
    }
}
