package org.bnlab.data;

/**
 * Writes normalised, optionally augmented images straight into the float array of a batch.
 *
 * <p>Normalisation is a table lookup: for each channel the 256 possible values of
 * {@code (v/255 - mean)/std} are computed once. Augmentation is the standard CIFAR one, done in raw
 * pixel space like torchvision's {@code RandomCrop(size, padding=4)} + {@code RandomHorizontalFlip}:
 * the image is padded with black (raw 0, which normalises to {@code -mean/std}), a window of the
 * original size is cropped at a random offset, and the crop is mirrored left-right at random.
 */
final class BatchWriter {

    private final ImageSet data;
    private final Layout layout;
    private final int channels;
    private final float[][] table;

    /**
     * @throws DatasetException if {@code norm} is for another number of channels than the images have
     */
    BatchWriter(ImageSet data, ChannelStats norm, Layout layout) {
        this.data = data;
        this.layout = layout;
        this.channels = data.channels();
        if (norm.channels() != channels) {
            throw new DatasetException("normalisation statistics are for " + norm.channels()
                    + " channels, the images have " + channels);
        }
        this.table = new float[channels][256];
        float[] mean = norm.mean();
        float[] std = norm.std();
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                // In double, then rounded once, so the value does not depend on evaluation order.
                table[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
    }

    /** The normalised value a raw pixel {@code v} of channel {@code c} becomes. */
    float normalised(int c, int v) {
        return table[c][v];
    }

    /**
     * Writes image {@code image} into slot {@code slot} of {@code out}, a batch in this writer's layout
     * ({@code [B,C,H,W]} or {@code [B,H,W,C]}, C = the images' channels).
     *
     * @param shiftY  the crop window's offset from the unpadded image, rows ({@code -pad..pad}); 0 = none
     * @param shiftX  the same for columns
     * @param flip    whether the cropped window is mirrored left-right
     */
    void write(int image, int slot, int shiftY, int shiftX, boolean flip, float[] out) {
        int height = data.height();
        int width = data.width();
        byte[] pixels = data.pixels();
        int imageStart = image * data.imageBytes();
        // Position of (c, y, x) in the batch: base + c*channelStride + y*rowStride + x*columnStride.
        int base;
        int channelStride;
        int rowStride;
        int columnStride;
        if (layout == Layout.NCHW) {
            base = slot * channels * height * width;
            channelStride = height * width;
            rowStride = width;
            columnStride = 1;
        } else {
            base = slot * height * width * channels;
            channelStride = 1;
            rowStride = width * channels;
            columnStride = channels;
        }
        for (int y = 0; y < height; y++) {
            int sourceY = y + shiftY;
            boolean rowInside = sourceY >= 0 && sourceY < height;
            int rowStart = imageStart + sourceY * width * channels;
            int target = base + y * rowStride;
            for (int x = 0; x < width; x++, target += columnStride) {
                int sourceX = (flip ? width - 1 - x : x) + shiftX;
                boolean inside = rowInside && sourceX >= 0 && sourceX < width;
                int p = rowStart + sourceX * channels;
                for (int c = 0; c < channels; c++) {
                    // outside the image: black padding, raw 0
                    out[target + c * channelStride] = table[c][inside ? pixels[p + c] & 0xFF : 0];
                }
            }
        }
    }
}
