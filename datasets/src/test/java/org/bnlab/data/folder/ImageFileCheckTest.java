package org.bnlab.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The strict JPEG/PNG checks on bytes: every valid kind passes, every damaged one is named for what it is. */
class ImageFileCheckTest {

    private static final BufferedImage NOISE = ImageFiles.noise(24, 20, 7);

    /** Valid files with the features real folders have; none of them may be refused. */
    private static Map<String, byte[]> validFiles() {
        return Map.ofEntries(
                Map.entry("baseline JPEG", ImageFiles.jpeg(NOISE)),
                Map.entry("progressive JPEG", ImageFiles.progressiveJpeg(NOISE)),
                Map.entry("gray JPEG", ImageFiles.jpeg(ImageFiles.solid(9, 7, 0x80, BufferedImage.TYPE_BYTE_GRAY))),
                Map.entry("CMYK JPEG", ImageFiles.cmykJpeg(10, 6, new int[] {10, 200, 30, 40})),
                Map.entry("JPEG with a thumbnail", withThumbnail(ImageFiles.jpeg(NOISE))),
                Map.entry("RGB PNG", ImageFiles.png(NOISE)),
                Map.entry("interlaced PNG", ImageFiles.interlacedPng(NOISE)),
                Map.entry("interlaced 3x2 PNG", ImageFiles.interlacedPng(ImageFiles.noise(3, 2, 1))),
                Map.entry("1x1 PNG", ImageFiles.png(ImageFiles.noise(1, 1, 2))),
                Map.entry("gray PNG", ImageFiles.png(ImageFiles.solid(5, 5, 77, BufferedImage.TYPE_BYTE_GRAY))),
                Map.entry("16-bit gray PNG", ImageFiles.png(ImageFiles.solid(5, 3, 0, BufferedImage.TYPE_USHORT_GRAY))),
                Map.entry("16-bit RGB PNG", ImageFiles.png(ImageFiles.rgb16(7, 3, 65535, 0, 1000))),
                Map.entry("RGBA PNG", ImageFiles.png(ImageFiles.solid(6, 4, 0x80FF0000, BufferedImage.TYPE_INT_ARGB))),
                Map.entry("palette PNG", ImageFiles.png(ImageFiles.solid(6, 4, 0xFF0000, BufferedImage.TYPE_BYTE_INDEXED))),
                Map.entry("1-bit PNG", ImageFiles.png(ImageFiles.solid(13, 3, 0xFFFFFF, BufferedImage.TYPE_BYTE_BINARY))));
    }

    @Test
    void validFilesOfEveryKindPass() {
        validFiles().forEach((kind, data) -> assertEquals(Optional.empty(), ImageFileCheck.problem(data), kind));
    }

    @Test
    void everyPrefixOfAValidFileIsRefusedAsTruncated() {
        validFiles().forEach((kind, data) -> {
            for (int length = 1; length < data.length; length++) {
                Optional<String> problem = ImageFileCheck.problem(Arrays.copyOf(data, length));
                assertTrue(problem.isPresent(), kind + " cut to " + length + " of " + data.length + " bytes passed");
                assertTrue(problem.get().startsWith("is truncated: ") || problem.get().startsWith("is corrupt: "),
                        kind + " cut to " + length + ": " + problem.get());
            }
        });
    }

    @Test
    void halfAJpegIsTruncated() {
        byte[] jpeg = ImageFiles.jpeg(ImageFiles.noise(64, 64, 5)); // mostly image data: the cut falls in it
        assertEquals(Optional.of("is truncated: its data stops before the end-of-image marker "
                + "(an interrupted copy or download?)"), ImageFileCheck.problem(ImageFiles.cut(jpeg, jpeg.length / 2)));
    }

    @Test
    void bytesAfterTheEndOfAJpegAreAllowed() {
        byte[] jpeg = ImageFiles.jpeg(NOISE);
        byte[] trailer = "camera maker trailer".getBytes(StandardCharsets.US_ASCII);
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + trailer.length);
        System.arraycopy(trailer, 0, padded, jpeg.length, trailer.length);
        assertEquals(Optional.empty(), ImageFileCheck.problem(padded));
    }

    /**
     * The embedded thumbnail ends with its own FFD9: a check that the file ends with FFD9, or holds one, would
     * pass this cut, made just after the thumbnail.
     */
    @Test
    void aCutAfterTheThumbnailIsStillTruncated() {
        byte[] jpeg = withThumbnail(ImageFiles.jpeg(NOISE));
        int thumbnailEnd = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xD9}) + 2;
        assertTrue(thumbnailEnd < jpeg.length / 2);
        assertEquals(Optional.of("is truncated: its data stops before the image data begins "
                + "(an interrupted copy or download?)"), ImageFileCheck.problem(Arrays.copyOf(jpeg, thumbnailEnd)));
        assertEquals(Optional.of("is truncated: its data stops inside the segment at byte 2 "
                + "(an interrupted copy or download?)"), ImageFileCheck.problem(Arrays.copyOf(jpeg, thumbnailEnd - 5)));
    }

    @Test
    void jpegEndingBeforeAnyScanIsCorrupt() {
        byte[] jpeg = ImageFiles.jpeg(NOISE);
        int scan = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xDA});
        byte[] noScan = Arrays.copyOf(jpeg, scan + 2);
        noScan[scan + 1] = (byte) 0xD9; // end-of-image where the scan would begin
        assertEquals(Optional.of("is corrupt: it ends before any image data (no start-of-scan)"),
                ImageFileCheck.problem(noScan));
    }

    @Test
    void emptyTextAndOtherFormatsAreNamed() {
        assertEquals(Optional.of("is empty (0 bytes)"), ImageFileCheck.problem(new byte[0]));
        assertEquals(Optional.of("is not a JPEG or PNG file: it begins with the text \"<!DOCTYP\""),
                ImageFileCheck.problem("<!DOCTYPE html><html>404 Not Found</html>".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.of("is not a JPEG or PNG file: it begins with the bytes 47 49 46 38 39 61 01 00"),
                ImageFileCheck.problem(new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0}));
        assertTrue(ImageFileCheck.problem(new byte[] {(byte) 0xFF, (byte) 0xD8}).orElse("").startsWith("is truncated"));
    }

    /** The chunks are whole and checksummed, IEND is there, but the compressed data stops early. */
    @Test
    void pngWhoseImageDataStopsEarlyIsTruncated() {
        List<Chunk> chunks = Chunk.parse(ImageFiles.png(NOISE));
        Chunk idat = chunks.stream().filter(c -> c.type().equals("IDAT")).findFirst().orElseThrow();
        chunks.set(chunks.indexOf(idat), new Chunk("IDAT", Arrays.copyOf(idat.data(), idat.data().length / 2)));
        assertEquals(Optional.of("is truncated: its compressed image data (IDAT) stops before the end of its stream "
                + "(an interrupted copy or download?)"), ImageFileCheck.problem(Chunk.png(chunks)));
    }

    /** A complete zlib stream that holds fewer rows than the header promises (libpng fills them in). */
    @Test
    void pngWithMissingRowsIsTruncated() {
        List<Chunk> chunks = Chunk.parse(ImageFiles.png(NOISE));
        byte[] raw = inflate(chunks.stream().filter(c -> c.type().equals("IDAT")).map(Chunk::data).toList());
        int rowBytes = 1 + 24 * 3;
        assertEquals(20 * rowBytes, raw.length);
        List<Chunk> shorter = new ArrayList<>(chunks.stream().filter(c -> !c.type().equals("IDAT")).toList());
        shorter.add(shorter.size() - 1, new Chunk("IDAT", deflate(Arrays.copyOf(raw, raw.length - rowBytes))));
        assertEquals(Optional.of("is truncated: its image data holds " + (19 * rowBytes) + " bytes, its header calls "
                + "for " + (20 * rowBytes) + " (an interrupted copy or download?)"), ImageFileCheck.problem(Chunk.png(shorter)));
    }

    @Test
    void pngChecksumsOfCriticalChunksCount() {
        byte[] png = ImageFiles.png(NOISE);
        byte[] damaged = png.clone();
        int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
        damaged[idat + 10] ^= 0x01;
        Optional<String> problem = ImageFileCheck.problem(damaged);
        assertTrue(problem.orElse("").startsWith("is corrupt: the checksum of its IDAT chunk at byte "), problem.toString());

        // an ancillary chunk (lower-case first letter) with a wrong checksum is ignored, as libpng does
        List<Chunk> chunks = new ArrayList<>(Chunk.parse(png));
        chunks.add(1, new Chunk("tEXt", "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1)));
        byte[] withText = Chunk.png(chunks);
        withText[8 + 25 + 8 + 13] ^= 0x01; // the tEXt chunk's checksum (after the signature and IHDR)
        assertEquals(Optional.empty(), ImageFileCheck.problem(withText));
    }

    @Test
    void expectedPngDataSizeFollowsDepthColourAndInterlacing() {
        assertEquals(2 * (1 + 3), PngStructure.imageBytes(3, 2, 8, 0, 0), "gray 8-bit");
        assertEquals(2 * (1 + 18), PngStructure.imageBytes(3, 2, 16, 2, 0), "RGB 16-bit");
        assertEquals(1 + 2, PngStructure.imageBytes(13, 1, 1, 0, 0), "13 1-bit pixels fill 2 bytes");
        // 3x2 interlaced: pass 1 (x0,y0) 1 pixel, pass 4 (x2,y0) 1, pass 6 (x1,y0) 1, pass 7 (y1) a row of 3
        assertEquals(3 * (1 + 4) + (1 + 12), PngStructure.imageBytes(3, 2, 8, 6, 1), "RGBA 3x2 Adam7");
        assertEquals(-1, PngStructure.imageBytes(3, 2, 8, 5, 0), "no colour type 5");
        assertEquals(-1, PngStructure.imageBytes(3, 2, 3, 0, 0), "no bit depth 3");
        assertEquals(-1, PngStructure.imageBytes(Integer.MAX_VALUE, Integer.MAX_VALUE, 16, 6, 0), "over 2^63 bytes");
    }

    /** Inserts an APP1 segment after SOI holding a whole small JPEG, as EXIF thumbnails are stored. */
    private static byte[] withThumbnail(byte[] jpeg) {
        byte[] thumbnail = ImageFiles.jpeg(ImageFiles.noise(4, 4, 3));
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + thumbnail.length + 10);
        out.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + thumbnail.length));
        out.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII)).put(thumbnail);
        out.put(jpeg, 2, jpeg.length - 2);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        for (int i = 0; i + pattern.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }

    private static byte[] inflate(List<byte[]> parts) {
        Inflater inflater = new Inflater();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(part -> out.writeBytes(part));
        inflater.setInput(out.toByteArray());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            while (!inflater.finished()) {
                raw.write(buffer, 0, inflater.inflate(buffer));
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
        return raw.toByteArray();
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** One PNG chunk; {@link #png} writes a list of them back with correct lengths and checksums. */
    record Chunk(String type, byte[] data) {

        static List<Chunk> parse(byte[] png) {
            List<Chunk> chunks = new ArrayList<>();
            ByteBuffer in = ByteBuffer.wrap(png, 8, png.length - 8);
            while (in.hasRemaining()) {
                byte[] type = new byte[4];
                byte[] data = new byte[in.getInt()];
                in.get(type).get(data).getInt();
                chunks.add(new Chunk(new String(type, StandardCharsets.ISO_8859_1), data));
            }
            return chunks;
        }

        static byte[] png(List<Chunk> chunks) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            for (Chunk chunk : chunks) {
                byte[] type = chunk.type().getBytes(StandardCharsets.ISO_8859_1);
                CRC32 crc = new CRC32();
                crc.update(type);
                crc.update(chunk.data());
                out.writeBytes(ByteBuffer.allocate(4).putInt(chunk.data().length).array());
                out.writeBytes(type);
                out.writeBytes(chunk.data());
                out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            }
            return out.toByteArray();
        }
    }
}
