package org.bnlab.data.folder;

import java.util.Optional;

/**
 * Says whether the bytes of an image file can be trusted before they are decoded: not empty, a JPEG or PNG by
 * their signature (whatever the extension says), and complete ({@link JpegStructure}, {@link PngStructure}).
 *
 * <p>The decoder alone is not enough: OpenCV crashes on an empty buffer, and for a truncated JPEG or PNG it
 * reports success with the missing part filled in. Every problem is one line phrased to follow the file name,
 * e.g. {@code is empty (0 bytes)}.
 */
final class ImageFileCheck {

    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int SHOWN_BYTES = 8;

    private ImageFileCheck() {
    }

    /** What is wrong with {@code data} as a JPEG or PNG file; empty if nothing is. */
    static Optional<String> problem(byte[] data) {
        if (data.length == 0) {
            return Optional.of("is empty (0 bytes)");
        }
        if (startsWith(data, JPEG_SIGNATURE)) {
            return JpegStructure.problem(data);
        }
        if (startsWith(data, PNG_SIGNATURE)) {
            return PngStructure.problem(data);
        }
        if (isPrefixOf(data, JPEG_SIGNATURE) || isPrefixOf(data, PNG_SIGNATURE)) {
            return truncated("it holds only the first " + data.length + " bytes of a signature");
        }
        return Optional.of("is not a JPEG or PNG file: it begins with " + describeStart(data));
    }

    /** A problem {@code is truncated: <detail> (an interrupted copy or download?)}. */
    static Optional<String> truncated(String detail) {
        return Optional.of("is truncated: " + detail + " (an interrupted copy or download?)");
    }

    /** A problem {@code is corrupt: <detail>}. */
    static Optional<String> corrupt(String detail) {
        return Optional.of("is corrupt: " + detail);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && isPrefixOf(data, prefix);
    }

    /** Whether the first {@code min(data.length, signature.length)} bytes of both agree. */
    private static boolean isPrefixOf(byte[] data, byte[] signature) {
        for (int i = 0; i < Math.min(data.length, signature.length); i++) {
            if (data[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** E.g. {@code the text "hello wo"} or {@code the bytes 47 49 46 38 39 61}. */
    private static String describeStart(byte[] data) {
        int shown = Math.min(data.length, SHOWN_BYTES);
        boolean text = true;
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            int b = data[i] & 0xFF;
            text &= (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n' || b == '\r';
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", b));
        }
        if (text) {
            String start = new String(data, 0, shown, java.nio.charset.StandardCharsets.US_ASCII);
            return "the text \"" + start.replaceAll("\\s", " ") + "\"";
        }
        return "the bytes " + hex;
    }
}
