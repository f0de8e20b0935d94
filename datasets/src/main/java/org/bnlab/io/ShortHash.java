package org.bnlab.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Short names for content: the first 8 hex digits (32 bits) of its SHA-256, the same in every JVM and on every machine.
 * Run ids, a run's hash from its source's, and a plan's fingerprint are made with it, so it must never change.
 */
public final class ShortHash {

    private ShortHash() {
    }

    /** 8 lowercase hex digits of the SHA-256 of {@code bytes}. */
    public static String of(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** 8 lowercase hex digits of the SHA-256 of {@code text} in UTF-8. */
    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }
}
