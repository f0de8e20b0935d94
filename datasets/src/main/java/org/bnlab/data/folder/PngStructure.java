package org.bnlab.data.folder;

import static org.bnlab.data.folder.ImageFileCheck.corrupt;
import static org.bnlab.data.folder.ImageFileCheck.truncated;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks that a PNG file is complete and its image data whole: every chunk fits in the file, the critical chunks'
 * checksums match, the compressed image data (all IDAT chunks together) inflates to the end of its zlib stream
 * and yields at least as many bytes as the header's size, colour type, bit depth and interlacing call for, and the
 * file ends with an IEND chunk.
 *
 * <p>Why: a PNG cut short, or whose image data stops early, is decoded by OpenCV's libpng with the missing rows
 * left blank when the cut falls in the right place, and OpenCV does not pass libpng's complaint on. Inflating the
 * data is the check that cannot be fooled by a cut that happens to leave whole chunks (a file rewritten after a
 * partial download, an IDAT cut and re-checksummed): the zlib stream carries its own end marker and checksum,
 * which {@link Inflater} verifies. As libpng does, a wrong checksum on an ancillary chunk (metadata such as
 * text or gamma) is ignored, and surplus image data is tolerated.
 */
final class PngStructure {

    private static final int SIGNATURE_LENGTH = 8;
    /** Adam7 passes: x start, y start, x step, y step. */
    private static final int[][] ADAM7 = {
        {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngStructure() {
    }

    /**
     * The problem with {@code data}, a file that starts with the 8-byte PNG signature, phrased to follow the file
     * name ({@code is truncated: ...} or {@code is corrupt: ...}); empty if the file is complete.
     */
    static Optional<String> problem(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            return check(data, inflater);
        } finally {
            inflater.end();
        }
    }

    private static Optional<String> check(byte[] data, Inflater inflater) {
        int n = data.length;
        int i = SIGNATURE_LENGTH;
        long expectedImageBytes = -1; // set by IHDR
        long inflatedBytes = 0;
        byte[] scratch = new byte[1 << 16];
        while (true) {
            if (i >= n) {
                return truncated("its data stops before the IEND chunk that ends every PNG");
            }
            if (i + 8 > n) {
                return truncated("its data stops inside a chunk header at byte " + i);
            }
            long length = readInt(data, i) & 0xFFFFFFFFL;
            String type = new String(data, i + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE || i + 12L + length > n) {
                return truncated("its data stops inside the " + type + " chunk at byte " + i);
            }
            int start = i + 8;
            int end = start + (int) length;
            boolean critical = (data[i + 4] & 0x20) == 0; // upper-case first letter
            if (critical && crc(data, i + 4, end) != readInt(data, end)) {
                return corrupt("the checksum of its " + type + " chunk at byte " + i + " is wrong");
            }
            if (expectedImageBytes < 0 && !type.equals("IHDR")) {
                return corrupt("it does not begin with an IHDR chunk");
            }
            switch (type) {
                case "IHDR" -> {
                    if (length < 13) {
                        return corrupt("its IHDR chunk is too short");
                    }
                    expectedImageBytes = imageBytes(readInt(data, start) & 0xFFFFFFFFL,
                            readInt(data, start + 4) & 0xFFFFFFFFL, data[start + 8] & 0xFF, data[start + 9] & 0xFF,
                            data[start + 12] & 0xFF);
                    if (expectedImageBytes <= 0) {
                        return corrupt("its IHDR chunk describes an impossible image");
                    }
                }
                case "IDAT" -> {
                    if (inflater.finished()) {
                        break; // surplus data after the end of the stream: tolerated, as libpng does
                    }
                    inflater.setInput(data, start, (int) length);
                    try {
                        while (!inflater.finished() && !inflater.needsInput()) {
                            int produced = inflater.inflate(scratch);
                            if (produced == 0 && inflater.needsDictionary()) {
                                return corrupt("its compressed image data asks for a preset dictionary");
                            }
                            inflatedBytes += produced;
                        }
                    } catch (DataFormatException e) {
                        return corrupt("its compressed image data is damaged (" + e.getMessage() + ")");
                    }
                }
                case "IEND" -> {
                    if (!inflater.finished()) {
                        return truncated("its compressed image data (IDAT) stops before the end of its stream");
                    }
                    if (inflatedBytes < expectedImageBytes) {
                        return truncated("its image data holds " + inflatedBytes + " bytes, its header calls for "
                                + expectedImageBytes);
                    }
                    return Optional.empty();
                }
                default -> {
                    // other chunks (palette, transparency, metadata) do not affect completeness
                }
            }
            i = end + 4;
        }
    }

    /**
     * Bytes of filtered image data a {@code width x height} image needs: per row one filter byte plus the packed
     * samples, for each of the seven Adam7 passes if interlaced; -1 for a colour type, bit depth or size PNG does
     * not allow.
     */
    static long imageBytes(long width, long height, int bitDepth, int colourType, int interlace) {
        int samples = switch (colourType) {
            case 0, 3 -> 1; // gray, palette
            case 2 -> 3;    // RGB
            case 4 -> 2;    // gray + alpha
            case 6 -> 4;    // RGBA
            default -> -1;
        };
        if (samples < 0 || width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE
                || interlace > 1
                || !(bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16)) {
            return -1;
        }
        long bitsPerPixel = (long) samples * bitDepth;
        try {
            return interlace == 0 ? rowsBytes(width, height, bitsPerPixel) : adam7Bytes(width, height, bitsPerPixel);
        } catch (ArithmeticException e) {
            return -1; // more than 2^63 bytes: no file holds that
        }
    }

    private static long adam7Bytes(long width, long height, long bitsPerPixel) {
        long total = 0;
        for (int[] pass : ADAM7) {
            if (width > pass[0] && height > pass[1]) {
                long passWidth = (width - pass[0] + pass[2] - 1) / pass[2];
                long passHeight = (height - pass[1] + pass[3] - 1) / pass[3];
                total = Math.addExact(total, rowsBytes(passWidth, passHeight, bitsPerPixel));
            }
        }
        return total;
    }

    /** {@code rows} rows of {@code width} pixels, each row a filter byte and the packed samples. */
    private static long rowsBytes(long width, long rows, long bitsPerPixel) {
        return Math.multiplyExact(rows, 1 + (width * bitsPerPixel + 7) / 8); // width < 2^31: the row cannot overflow
    }

    private static int readInt(byte[] data, int at) {
        return ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8)
                | (data[at + 3] & 0xFF);
    }

    private static int crc(byte[] data, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(data, from, to - from);
        return (int) crc.getValue();
    }
}
