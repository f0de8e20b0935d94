package org.bnlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled set of images held as raw bytes, decoded once and then reused for every epoch: RGB (3 channels: CIFAR,
 * Imagenette, class folders) or grayscale (1 channel: MNIST, Fashion-MNIST).
 *
 * <p>Pixels are kept as uint8 in one {@code byte[]}, image after image, each image in HWC order
 * with interleaved channels ({@code r,g,b,r,g,b,...} row by row; one byte per pixel for grayscale).
 * Bytes instead of floats because CIFAR-10's 50,000 training images then take 150 MB instead of
 * 600 MB, and the normalisation is a table lookup when a batch is assembled anyway.
 *
 * <p>An ImageSet is immutable by convention: subsets copy the selected images, and the arrays
 * handed to the constructor or returned by {@link #pixels()} must not be modified afterwards.
 */
public final class ImageSet {

    /** Channels of an RGB image. */
    public static final int RGB = 3;
    /** Channels of a grayscale image. */
    public static final int GRAYSCALE = 1;

    private final byte[] pixels;
    private final int[] labels;
    private final int height;
    private final int width;
    private final int channels;
    private final List<String> classNames;

    /**
     * Wraps already decoded RGB images; the arrays are taken over, not copied.
     *
     * @param pixels     {@code labels.length * height * width * 3} bytes, HWC interleaved RGB per image
     * @param labels     one class index per image, each in {@code 0 .. classNames.size()-1}
     * @param classNames class names; the position in the list is the label
     */
    public ImageSet(byte[] pixels, int[] labels, int height, int width, List<String> classNames) {
        this(pixels, labels, height, width, RGB, classNames);
    }

    /**
     * Wraps already decoded images with {@code channels} channels; the arrays are taken over, not copied.
     *
     * @param pixels     {@code labels.length * height * width * channels} bytes, HWC interleaved per image
     * @param labels     one class index per image, each in {@code 0 .. classNames.size()-1}
     * @param channels   1 (grayscale) or 3 (RGB); other positive counts are accepted as they are
     * @param classNames class names; the position in the list is the label
     * @throws DatasetException if the sizes do not fit together or a label is out of range
     */
    public ImageSet(byte[] pixels, int[] labels, int height, int width, int channels, List<String> classNames) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classNames, "classNames");
        if (height <= 0 || width <= 0) {
            throw new DatasetException("image size must be positive, got " + height + "x" + width);
        }
        if (channels <= 0) {
            throw new DatasetException("an image needs at least one channel, got " + channels);
        }
        if (classNames.isEmpty()) {
            throw new DatasetException("an image set needs at least one class");
        }
        long expected = (long) labels.length * height * width * channels;
        if (pixels.length != expected) {
            throw new DatasetException("pixel array holds " + pixels.length + " bytes, expected " + expected
                    + " for " + labels.length + " images of " + height + "x" + width + "x" + channels);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DatasetException("label " + labels[i] + " of image " + i + " is outside 0.."
                        + (classNames.size() - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * Number of bytes the pixels of {@code count} RGB images take, checked against Java's array limit
     * so that a too large request fails with a clear message instead of an overflow.
     */
    public static int pixelBytes(int count, int height, int width) {
        return pixelBytes(count, height, width, RGB);
    }

    /** {@link #pixelBytes(int, int, int)} for images with {@code channels} channels. */
    public static int pixelBytes(int count, int height, int width, int channels) {
        long bytes = (long) count * height * width * channels;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DatasetException(count + " images of " + height + "x" + width
                    + " need " + bytes + " bytes, more than one Java array can hold; use a smaller image size");
        }
        return (int) bytes;
    }

    public int size() {
        return labels.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /**
     * 3 (RGB) or 1 (grayscale: MNIST, Fashion-MNIST). Grayscale image files in class folders are converted to RGB
     * when read, so they have 3.
     */
    public int channels() {
        return channels;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels, in image order. */
    public int[] labels() {
        return labels.clone();
    }

    /** Bytes per image: {@code height * width * channels}. */
    public int imageBytes() {
        return height * width * channels;
    }

    /**
     * The backing pixel array (not a copy, for speed): image {@code i} starts at
     * {@code i * imageBytes()}. Do not modify it.
     */
    public byte[] pixels() {
        return pixels;
    }

    /** One pixel value 0..255 of image {@code i} at row {@code y}, column {@code x}, channel {@code c} (0=R). */
    public int pixel(int i, int y, int x, int c) {
        return pixels[i * imageBytes() + (y * width + x) * channels + c] & 0xFF;
    }

    /** How many images each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The images at {@code indices}, in that order (an index may repeat). */
    public ImageSet select(int[] indices) {
        int bytesPerImage = imageBytes();
        byte[] selectedPixels = new byte[pixelBytes(indices.length, height, width, channels)];
        int[] selectedLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new DatasetException("image index " + i + " is outside 0.." + (size() - 1));
            }
            System.arraycopy(pixels, i * bytesPerImage, selectedPixels, k * bytesPerImage, bytesPerImage);
            selectedLabels[k] = labels[i];
        }
        return new ImageSet(selectedPixels, selectedLabels, height, width, channels, classNames);
    }

    /**
     * The first {@code n} images of each class in reading order (all of a class's images if it has
     * fewer than {@code n}); the result keeps the reading order.
     */
    public ImageSet firstPerClass(int n) {
        if (n <= 0) {
            throw new DatasetException("images per class must be positive, got " + n);
        }
        int[] quota = new int[numClasses()];
        Arrays.fill(quota, n);
        return takeFirst(quota);
    }

    /**
     * A stratified subset: the first {@code ceil(f * count)} images of each class, in reading
     * order. Taking the first ones (not a random draw) makes a smaller subset a prefix of a larger
     * one, so data-size sweeps are nested.
     */
    public ImageSet fraction(double f) {
        if (!(f > 0 && f <= 1)) {
            throw new DatasetException("fraction must be in (0, 1], got " + f);
        }
        int[] counts = classCounts();
        int[] quota = new int[counts.length];
        for (int c = 0; c < counts.length; c++) {
            quota[c] = (int) Math.ceil(f * counts[c]);
        }
        return takeFirst(quota);
    }

    private ImageSet takeFirst(int[] quotaPerClass) {
        int[] remaining = quotaPerClass.clone();
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (remaining[labels[i]] > 0) {
                remaining[labels[i]]--;
                chosen.add(i);
            }
        }
        return select(chosen.stream().mapToInt(Integer::intValue).toArray());
    }

    /** E.g. {@code 10000 images 32x32 RGB, 10 classes, 1000 per class} ({@code grayscale} for one channel). */
    public String describe() {
        int[] counts = classCounts();
        int min = Arrays.stream(counts).min().orElse(0);
        int max = Arrays.stream(counts).max().orElse(0);
        String perClass = min == max ? min + " per class" : min + ".." + max + " per class";
        String kind = channels == RGB ? "RGB" : channels == GRAYSCALE ? "grayscale" : channels + " channels";
        return size() + " images " + height + "x" + width + " " + kind + ", " + numClasses() + " classes, " + perClass;
    }

    @Override
    public String toString() {
        return "ImageSet[" + describe() + "]";
    }
}
