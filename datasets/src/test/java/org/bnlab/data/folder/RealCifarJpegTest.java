package org.bnlab.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bnlab.data.ImageSet;
import org.bnlab.data.SharedData;
import org.datavec.image.loader.NativeImageLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads the real CIFAR-10 JPEG test split from ../shared/datasets; skipped where it is absent. */
class RealCifarJpegTest {

    @Test
    void testSplitHasTenClassesOfAThousand32x32Images() throws IOException {
        Path root = SharedData.dataset("cifar-10-jpeg").orElse(null);
        Assumptions.assumeTrue(root != null, "../shared/datasets/cifar-10-jpeg is not here");

        long start = System.nanoTime();
        ImageSet test = ImageFolder.read(root, "test", 32);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ImageFolder decoded %d CIFAR-10 test JPEGs in %.2f s (%.0f images/s)%n",
                test.size(), seconds, test.size() / seconds);

        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer",
                "dog", "frog", "horse", "ship", "truck"), test.classNames());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.classCounts());
        assertEquals(32, test.height());
        assertEquals(32, test.width());

        // Same decoder underneath: DataVec's loader must give the same numbers, channels reversed.
        INDArray bgr = new NativeImageLoader(32, 32, 3).asMatrix(root.resolve("test/frog/0000.jpg").toFile());
        int first = 6 * 1000; // frog is label 6, its 0000.jpg is the first frog read
        for (int y = 0; y < 32; y += 5) {
            for (int x = 0; x < 32; x += 3) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(bgr.getInt(0, 2 - c, y, x), test.pixel(first, y, x, c), "y=" + y + " x=" + x + " c=" + c);
                }
            }
        }
    }
}
