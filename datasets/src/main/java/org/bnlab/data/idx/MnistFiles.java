package org.bnlab.data.idx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bnlab.data.DatasetException;
import org.bnlab.data.DatasetParts;
import org.bnlab.data.ImageSet;

/**
 * The four-file layout of MNIST and Fashion-MNIST: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}
 * (60,000 images), {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte} (10,000 images), each plain or
 * gzipped ({@code .gz}, as published and as Debian's {@code dataset-fashion-mnist} installs them), in one folder.
 * The images are 28x28 grayscale with 0 for the background and up to 255 for the digit or article; ten classes
 * each.
 */
public final class MnistFiles {

    /** The side of an MNIST or Fashion-MNIST image in pixels. */
    public static final int SIDE = 28;
    /** The four file names without {@code .gz}: training images and labels, test images and labels. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** Which of the two data sets; they share the format and differ in images and class names. */
    public enum Kind {
        /** Handwritten digits (LeCun et al. 1998); class {@code k} is the digit k. */
        MNIST("MNIST", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
        /** Zalando's article images (Xiao, Rasul and Vollgraf 2017), with the class names of their paper. */
        FASHION_MNIST("Fashion-MNIST", List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                "Shirt", "Sneaker", "Bag", "Ankle boot"));

        private final String title;
        private final List<String> classNames;

        Kind(String title, List<String> classNames) {
            this.title = title;
            this.classNames = classNames;
        }

        public String title() {
            return title;
        }

        public List<String> classNames() {
            return classNames;
        }
    }

    private MnistFiles() {
    }

    /** Whether {@code folder} holds all four files (each plain or gzipped). */
    public static boolean isComplete(Path folder) {
        return FILES.stream().allMatch(name -> find(folder, name).isPresent());
    }

    /**
     * The training and test splits in {@code folder}.
     *
     * @throws DatasetException naming the file for a missing file, any problem {@link IdxFiles} finds, or images
     *                          that are not {@value #SIDE}x{@value #SIDE}
     */
    public static DatasetParts read(Path folder, Kind kind) {
        ImageSet train = split(folder, kind, FILES.get(0), FILES.get(1));
        ImageSet test = split(folder, kind, FILES.get(2), FILES.get(3));
        return new DatasetParts(train, test, kind.title() + " IDX files at " + folder);
    }

    private static ImageSet split(Path folder, Kind kind, String imagesName, String labelsName) {
        Path images = require(folder, imagesName, kind);
        Path labels = require(folder, labelsName, kind);
        ImageSet set = IdxFiles.read(images, labels, kind.classNames());
        if (set.height() != SIDE || set.width() != SIDE) {
            throw new DatasetException(kind.title() + " image file " + images + " holds " + set.height() + "x"
                    + set.width() + " images, expected " + SIDE + "x" + SIDE);
        }
        return set;
    }

    private static Path require(Path folder, String name, Kind kind) {
        return find(folder, name).orElseThrow(() -> new DatasetException("incomplete " + kind.title() + " folder "
                + folder + ": missing " + name + " (or " + name + ".gz)"));
    }

    /** {@code name} if present, else {@code name.gz}. */
    static Optional<Path> find(Path folder, String name) {
        for (Path candidate : List.of(folder.resolve(name), folder.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
