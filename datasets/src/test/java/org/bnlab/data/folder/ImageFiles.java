package org.bnlab.data.folder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Image files of every kind the tests need, made with javax.imageio: valid ones with odd features, and damaged ones. */
final class ImageFiles {

    private ImageFiles() {
    }

    /** A {@code width x height} image of one colour; gray types take the low byte of {@code rgb} as the raw sample. */
    static BufferedImage solid(int width, int height, int rgb, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    // Raw samples: setRGB on a gray image would convert sRGB to linear gray (77 -> 19).
                    image.getRaster().setSample(x, y, 0, rgb & 0xFF);
                } else {
                    image.setRGB(x, y, rgb);
                }
            }
        }
        return image;
    }

    /** Random RGB pixels: a JPEG of it is mostly entropy-coded data, so cutting it in half cuts the image data. */
    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    /** A 16-bit-per-sample RGB image of one colour (samples 0..65535). */
    static BufferedImage rgb16(int width, int height, int red, int green, int blue) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {red, green, blue});
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    static byte[] png(BufferedImage image) {
        return encode(image, "png", false);
    }

    /** An Adam7-interlaced PNG. */
    static byte[] interlacedPng(BufferedImage image) {
        return encode(image, "png", true);
    }

    static byte[] jpeg(BufferedImage image) {
        return encode(image, "jpeg", false);
    }

    static byte[] progressiveJpeg(BufferedImage image) {
        return encode(image, "jpeg", true);
    }

    /** A four-channel (CMYK, as Adobe writes it) JPEG with every pixel {@code cmyk}. */
    static byte[] cmykJpeg(int width, int height, int[] cmyk) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, new Point());
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, cmyk);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        return write(writer, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
    }

    private static byte[] encode(BufferedImage image, String format, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        return write(writer, new IIOImage(image, null, null), param);
    }

    private static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The first {@code length} bytes, as an interrupted copy leaves a file. */
    static byte[] cut(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    static Path write(Path file, byte[] data) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, BufferedImage image, String format) {
        try {
            Files.createDirectories(file.getParent());
            assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
