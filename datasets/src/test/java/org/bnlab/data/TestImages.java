package org.bnlab.data;

import java.util.ArrayList;
import java.util.List;

/** Small synthetic image sets whose pixel values are a known function of position. */
public final class TestImages {

    private TestImages() {
    }

    /** The value every synthetic image has at image {@code i}, row {@code y}, column {@code x}, channel {@code c}. */
    public static int value(int i, int y, int x, int c) {
        return (i * 31 + y * 7 + x * 3 + c * 85) & 0xFF;
    }

    public static List<String> classNames(int count) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            names.add("class" + c);
        }
        return names;
    }

    /** Images labelled {@code labels}, with pixels from {@link #value}. */
    public static ImageSet synthetic(int[] labels, int height, int width, int numClasses) {
        byte[] pixels = new byte[labels.length * height * width * 3];
        int p = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        pixels[p++] = (byte) value(i, y, x, c);
                    }
                }
            }
        }
        return new ImageSet(pixels, labels, height, width, classNames(numClasses));
    }

    /** {@code perClass * numClasses} images with labels cycling 0,1,..,k-1,0,1,.. */
    public static ImageSet cycling(int perClass, int numClasses, int side) {
        int[] labels = new int[perClass * numClasses];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % numClasses;
        }
        return synthetic(labels, side, side, numClasses);
    }
}
