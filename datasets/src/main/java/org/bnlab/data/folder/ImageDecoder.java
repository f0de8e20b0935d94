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
import org.bnlab.data.DatasetException;
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
 */
final class ImageDecoder {

    private ImageDecoder() {
    }

    /**
     * Writes the pixels of {@code file}, resized to {@code size x size} (aspect ratio not kept),
     * as {@code size*size*3} RGB bytes into {@code target} from {@code offset}. Grayscale and
     * palette images come out as three equal channels, an alpha channel is dropped.
     */
    static void decodeInto(Path file, int size, byte[] target, int offset) {
        byte[] encoded;
        try {
            encoded = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        // The scope frees every native buffer allocated inside it as soon as this image is done,
        // instead of leaving hundreds of megabytes to the garbage collector.
        try (PointerScope scope = new PointerScope()) {
            Mat bgr = imdecode(new Mat(encoded), IMREAD_COLOR); // IMREAD_COLOR: always 3 channels, 8 bit
            if (bgr == null || bgr.empty()) {
                throw new DatasetException("cannot decode image " + file + ": not a readable JPEG or PNG");
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
                throw new DatasetException("unexpected decoded layout for image " + file);
            }
            rgb.data().get(target, offset, length);
        }
    }
}
