package org.bnlab.data.folder;

import static org.bnlab.data.folder.ImageFileCheck.corrupt;
import static org.bnlab.data.folder.ImageFileCheck.truncated;

import java.util.Optional;

/**
 * Checks that a JPEG file is complete: its marker segments are whole and its last scan is followed by the
 * end-of-image marker (FFD9).
 *
 * <p>Why this check exists: libjpeg (under OpenCV's {@code imdecode}) treats a file that stops early as a
 * warning ("Premature end of JPEG file"), fills the missing rows with gray and reports success, and OpenCV
 * gives no way to see the warning. A half-copied file would then be trained on without anyone knowing. Pillow
 * and ImageMagick refuse such files by default, and so does this.
 *
 * <p>Why a walk of the segments rather than "the last two bytes are FFD9" or "FFD9 occurs somewhere": the walk
 * skips each segment by its length, so an FFD9 inside a segment (the EXIF thumbnail in APP1 is a whole JPEG
 * with its own FFD9) cannot pass for the end of the image, and inside entropy-coded data an FF byte is always
 * followed by 00 (stuffing) or a marker, so the first real marker after a scan is found exactly. Progressive
 * files (several scans with tables between them) walk the same way.
 *
 * <p>Bytes after the end-of-image marker are allowed and ignored: some cameras and phones append data there
 * (maker trailers, a video in "motion photos"), and libjpeg ignores them too. Damage inside the entropy-coded
 * data of a complete file (flipped bits) is not detected here; only decoding could find it.
 */
final class JpegStructure {

    private static final int MARKER = 0xFF;
    private static final int END_OF_IMAGE = 0xD9;
    private static final int START_OF_SCAN = 0xDA;

    private JpegStructure() {
    }

    /**
     * The problem with {@code data}, a file that starts with the JPEG signature (FFD8), phrased to follow the
     * file name ({@code is truncated: ...} or {@code is corrupt: ...}); empty if the file is complete.
     */
    static Optional<String> problem(byte[] data) {
        int n = data.length;
        int i = 2; // after the start-of-image marker
        boolean sawFrame = false;
        boolean sawScan = false;
        while (true) {
            // A marker is FF, any number of FF fill bytes, then the code. Stray bytes before it are skipped,
            // as libjpeg does (it warns about "extraneous bytes" and goes on).
            while (i < n && (data[i] & 0xFF) != MARKER) {
                i++;
            }
            while (i < n && (data[i] & 0xFF) == MARKER) {
                i++;
            }
            if (i >= n) {
                return truncated(sawScan ? "its data stops before the end-of-image marker"
                        : "its data stops before the image data begins");
            }
            int code = data[i++] & 0xFF;
            if (code == END_OF_IMAGE) {
                return sawScan ? Optional.empty() : corrupt("it ends before any image data (no start-of-scan)");
            }
            if (standalone(code)) {
                continue;
            }
            if (i + 2 > n) {
                return truncated("its data stops inside a segment header at byte " + (i - 2));
            }
            int length = ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF); // includes its own two bytes
            if (length < 2) {
                return corrupt("the segment at byte " + (i - 2) + " has an impossible length " + length);
            }
            if (i + length > n) {
                return truncated("its data stops inside the segment at byte " + (i - 2));
            }
            i += length;
            if (isStartOfFrame(code)) {
                sawFrame = true;
            }
            if (code == START_OF_SCAN) {
                if (!sawFrame) {
                    return corrupt("its image data comes before its frame header");
                }
                sawScan = true;
                i = endOfEntropyCodedData(data, i);
            }
        }
    }

    /**
     * Where the entropy-coded data starting at {@code from} ends: the index of the FF of the next marker, or
     * {@code data.length} if none follows. In that data FF00 is a stuffed FF byte and FFD0..FFD7 are restart
     * markers; any other FFxx (fill bytes aside) ends it.
     */
    private static int endOfEntropyCodedData(byte[] data, int from) {
        int i = from;
        while (i + 1 < data.length) {
            if ((data[i] & 0xFF) == MARKER) {
                int next = data[i + 1] & 0xFF;
                if (next == 0x00 || isRestart(next)) {
                    i += 2;
                    continue;
                }
                if (next != MARKER) {
                    return i;
                }
            }
            i++;
        }
        return data.length;
    }

    /** Markers without a length field: TEM, RST0..7, SOI, EOI (handled before), and a stray FF00. */
    private static boolean standalone(int code) {
        return code == 0x00 || code == 0x01 || isRestart(code) || code == 0xD8;
    }

    private static boolean isRestart(int code) {
        return code >= 0xD0 && code <= 0xD7;
    }

    /** SOF0..SOF15, which share the codes C0..CF with DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isStartOfFrame(int code) {
        return code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
    }
}
