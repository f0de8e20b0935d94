package org.bnlab.data.folder;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bnlab.data.BadImage;
import org.bnlab.data.BadImageException;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Decodes one JPEG or PNG file into {@code size x size} interleaved RGB bytes.
 *
 * <p>This calls OpenCV (the bytedeco build that DataVec's {@code NativeImageLoader} wraps) directly
 * rather than through {@code NativeImageLoader}, for three reasons: NativeImageLoader hands back
 * float INDArrays, four times the memory and a conversion per image where bytes are wanted;
 * it resizes with bilinear interpolation, which aliases badly when Imagenette's 224-pixel images
 * are shrunk to 32 (area interpolation averages the covered pixels instead); and its channel
 * order is OpenCV's BGR, which is easy to forget. Here the BGR-to-RGB swap is explicit.
 *
 * <p>Before OpenCV sees the bytes, {@link ImageFileCheck} makes sure they are a whole JPEG or PNG, because
 * OpenCV reports a truncated file as decoded; and whatever goes wrong in OpenCV becomes a
 * {@link BadImageException} naming the file, never a stack trace.
 */
final class ImageDecoder {

    private ImageDecoder() {
    }

    /**
     * Writes the pixels of {@code file}, resized to {@code size x size} (aspect ratio not kept),
     * as {@code size*size*3} RGB bytes into {@code target} from {@code offset}. Grayscale and
     * palette images come out as three equal channels, an alpha channel is dropped, 16-bit samples
     * are scaled to 8 bits, CMYK JPEGs are converted to RGB.
     *
     * @throws BadImageException naming the file when it cannot be read, is empty, is not a JPEG or PNG, is
     *                           truncated or corrupt ({@link ImageFileCheck}), or when OpenCV fails on it in any
     *                           way (an exception, no image, an image with no pixels); {@code target} may then
     *                           hold part of the image
     */
    static void decodeInto(Path file, int size, byte[] target, int offset) {
        byte[] encoded;
        try {
            encoded = Files.readAllBytes(file);
        } catch (IOException e) {
            String message = e.getMessage();
            String detail = message == null || message.equals(file.toString()) ? "" : ": " + message;
            throw bad(file, "cannot be read (" + e.getClass().getSimpleName() + detail + ")");
        }
        Optional<String> problem = ImageFileCheck.problem(encoded);
        if (problem.isPresent()) {
            throw bad(file, problem.get());
        }
        try {
            decode(encoded, size, target, offset);
        } catch (RuntimeException e) { // OpenCV's own exceptions are plain RuntimeExceptions
            throw bad(file, "could not be decoded by OpenCV: " + firstLine(e));
        }
    }

    private static void decode(byte[] encoded, int size, byte[] target, int offset) {
        // The scope frees every native buffer allocated inside it as soon as this image is done,
        // instead of leaving hundreds of megabytes to the garbage collector.
        try (PointerScope scope = new PointerScope()) {
            Mat bgr = imdecode(new Mat(encoded), IMREAD_COLOR); // IMREAD_COLOR: always 3 channels, 8 bit
            if (bgr == null || bgr.empty() || bgr.rows() <= 0 || bgr.cols() <= 0) {
                throw new IllegalStateException("it returned no image");
            }
            Mat sized = bgr;
            if (bgr.rows() != size || bgr.cols() != size) {
                sized = new Mat();
                boolean shrinking = (long) bgr.rows() * bgr.cols() > (long) size * size;
                resize(bgr, sized, new Size(size, size), 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
            }
            Mat rgb = new Mat();
            cvtColor(sized, rgb, COLOR_BGR2RGB);
            int length = size * size * 3;
            if (!rgb.isContinuous() || rgb.total() * rgb.channels() != length) {
                throw new IllegalStateException("unexpected decoded layout " + rgb.rows() + "x" + rgb.cols() + "x"
                        + rgb.channels());
            }
            rgb.data().get(target, offset, length);
        }
    }

    private static BadImageException bad(Path file, String reason) {
        return new BadImageException(new BadImage(file, reason));
    }

    /** The first line of the exception's message (OpenCV's run over several), or its class if it has none. */
    private static String firstLine(RuntimeException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.strip().lines().findFirst().orElse("").strip();
    }
}
