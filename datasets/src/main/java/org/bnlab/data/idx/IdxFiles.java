package org.bnlab.data.idx;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.bnlab.data.DatasetException;
import org.bnlab.data.ImageSet;

/**
 * Reads the IDX format of MNIST (LeCun, Bottou, Bengio and Haffner 1998; http://yann.lecun.com/exdb/mnist/) and
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017), plain or gzipped.
 *
 * <h2>Format</h2>
 * An IDX file is a 4-byte magic number, one 4-byte size per dimension, then the data, all big-endian:
 * <pre>
 *   0x00 0x00 TYPE DIMS          magic: two zero bytes, the element type, the number of dimensions
 *   DIMS x int32                 the size of each dimension, outermost first
 *   data                         the elements in row-major (C) order
 * </pre>
 * Only unsigned bytes (type {@code 0x08}) are read, in the two shapes MNIST uses: images
 * ({@value #IMAGES_MAGIC_TEXT}: {@code count x rows x columns}, one gray value 0..255 per pixel, 0 = background)
 * and labels ({@value #LABELS_MAGIC_TEXT}: {@code count}, one class index per byte).
 *
 * <h2>Checks</h2>
 * A file is gzipped when it starts with the gzip magic {@code 1f 8b} (whatever its name). The magic number, the
 * dimensions and the data length must agree exactly: a truncated file, one with bytes after the announced data, a
 * file of another type or shape, a corrupt gzip stream, and image and label files with different counts each fail
 * with one {@link DatasetException} naming the file.
 */
public final class IdxFiles {

    /** The magic number of an IDX file of unsigned-byte images: type 0x08, three dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of an IDX file of unsigned-byte labels: type 0x08, one dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    static final String IMAGES_MAGIC_TEXT = "0x00000803";
    static final String LABELS_MAGIC_TEXT = "0x00000801";
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {
    }

    /**
     * The images of an IDX image file.
     *
     * @param count   number of images
     * @param rows    image height in pixels
     * @param columns image width in pixels
     * @param pixels  {@code count * rows * columns} gray values, image after image, row by row
     */
    public record Images(int count, int rows, int columns, byte[] pixels) {
    }

    /**
     * Reads an image file ({@value #IMAGES_MAGIC_TEXT}).
     *
     * @throws DatasetException naming the file if it is missing, unreadable, not an unsigned-byte image file,
     *                          truncated or longer than its header says
     */
    public static Images readImages(Path file) {
        byte[] bytes = readAll(file);
        int[] dims = header(file, bytes, 3, "images", IMAGES_MAGIC_TEXT);
        if (dims[1] == 0 || dims[2] == 0) {
            throw new DatasetException("IDX image file " + file + " announces images of " + dims[1] + "x" + dims[2]
                    + " pixels; both sides must be at least 1");
        }
        byte[] pixels = data(file, bytes, 3, dims, dims[0] + " images of " + dims[1] + "x" + dims[2]);
        return new Images(dims[0], dims[1], dims[2], pixels);
    }

    /**
     * Reads a label file ({@value #LABELS_MAGIC_TEXT}): one unsigned byte per item.
     *
     * @throws DatasetException naming the file as {@link #readImages} does
     */
    public static int[] readLabels(Path file) {
        byte[] bytes = readAll(file);
        int[] dims = header(file, bytes, 1, "labels", LABELS_MAGIC_TEXT);
        byte[] data = data(file, bytes, 1, dims, dims[0] + " labels");
        int[] labels = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            labels[i] = data[i] & 0xFF;
        }
        return labels;
    }

    /**
     * A grayscale {@link ImageSet} (one channel) from an image file and its label file.
     *
     * @param classNames the classes; every label must be an index into this list
     * @throws DatasetException naming the file(s) for anything {@link #readImages} and {@link #readLabels} refuse,
     *                          different counts in the two files, or a label outside the classes
     */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classNames) {
        Images images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new DatasetException("IDX files do not match: " + imagesFile + " has " + images.count()
                    + " images but " + labelsFile + " has " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classNames.size()) {
                throw new DatasetException("IDX label file " + labelsFile + ": label " + labels[i] + " of item " + i
                        + " is outside 0.." + (classNames.size() - 1));
            }
        }
        return new ImageSet(images.pixels(), labels, images.rows(), images.columns(), ImageSet.GRAYSCALE,
                classNames);
    }

    /** The whole file, decompressed if it is gzipped. */
    static byte[] readAll(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            if (!gzipped) {
                return raw.readAllBytes();
            }
            try (InputStream unzipped = new GZIPInputStream(raw, 1 << 16)) {
                return unzipped.readAllBytes();
            } catch (ZipException | EOFException e) {
                throw new DatasetException("corrupt or truncated gzip file " + file + ": " + e.getMessage()
                        + " (download it again)", e);
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing IDX file " + file);
        } catch (IOException e) {
            throw new DatasetException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Checks the magic number and returns the dimension sizes. */
    private static int[] header(Path file, byte[] bytes, int dims, String what, String magic) {
        if (bytes.length < 4) {
            throw new DatasetException("truncated IDX file " + file + ": " + bytes.length
                    + " bytes, not even the 4-byte magic number");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes); // big-endian, as IDX is
        int found = buffer.getInt();
        if ((found >>> 16) != 0) {
            throw new DatasetException(file + " is not an IDX file: it starts with " + hex(found)
                    + ", expected " + magic + " (" + what + ")");
        }
        int type = (found >>> 8) & 0xFF;
        int foundDims = found & 0xFF;
        if (type != UNSIGNED_BYTE || foundDims != dims) {
            throw new DatasetException("IDX file " + file + " has magic number " + hex(found) + " (element type "
                    + String.format(Locale.ROOT, "0x%02x", type) + ", " + foundDims + " dimensions), expected "
                    + magic + " (" + what + ": unsigned bytes, " + dims + (dims == 1 ? " dimension)" : " dimensions)"));
        }
        if (bytes.length < 4 + 4 * dims) {
            throw new DatasetException("truncated IDX file " + file + ": " + bytes.length + " bytes, shorter than"
                    + " its " + (4 + 4 * dims) + "-byte header");
        }
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = buffer.getInt();
            if (sizes[d] < 0) {
                throw new DatasetException("IDX file " + file + " announces dimension " + (d + 1) + " of size "
                        + Integer.toUnsignedString(sizes[d]) + ", more than a Java array can hold (garbled header?)");
            }
        }
        return sizes;
    }

    /** The data after a header of {@code dims} sizes, which must be exactly as long as the sizes say. */
    private static byte[] data(Path file, byte[] bytes, int dims, int[] sizes, String announced) {
        long expected = 1;
        for (int size : sizes) {
            // saturates instead of overflowing (three sizes near 2^31 would): such a header is refused below anyway
            expected = size != 0 && expected > Long.MAX_VALUE / size ? Long.MAX_VALUE : expected * size;
        }
        int start = 4 + 4 * dims;
        long actual = bytes.length - start;
        if (actual < expected) {
            throw new DatasetException(String.format(Locale.ROOT, "truncated IDX file %s: its header announces %s"
                    + " (%,d bytes of data) but only %,d bytes follow", file, announced, expected, actual));
        }
        if (actual > expected) {
            throw new DatasetException(String.format(Locale.ROOT, "IDX file %s is longer than its header says: %s"
                    + " take %,d bytes but %,d bytes follow (garbled header or appended data)", file, announced,
                    expected, actual));
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "0x%08x", value);
    }
}
