package org.bnlab.data.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bnlab.data.DatasetException;
import org.bnlab.data.ImageSet;

/**
 * Reads a class-folder tree, {@code root/<split>/<class>/*.{jpg,jpeg,png}} (extensions in any
 * case), into an {@link ImageSet} of {@code size x size} RGB images.
 *
 * <p>Classes are the sorted sub-folder names of the split folder and get labels 0..k-1 in that
 * order; within a class, files are read in sorted name order, so the reading order (which subsets
 * such as {@link ImageSet#firstPerClass} rely on) is the same on every machine. Images are
 * decoded in parallel over all cores.
 */
public final class ImageFolder {

    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png");

    private ImageFolder() {
    }

    /**
     * @param root  the tree's root
     * @param split the split folder under it, e.g. {@code train}, {@code test} or {@code val}
     * @param size  the side length every image is resized to (no resize if it already has it)
     */
    public static ImageSet read(Path root, String split, int size) {
        if (size <= 0) {
            throw new DatasetException("image size must be positive, got " + size);
        }
        Path splitDir = root.resolve(split);
        List<String> classes = classNames(splitDir);
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = splitDir.resolve(classes.get(label));
            List<Path> images = imageFiles(classDir);
            if (images.isEmpty()) {
                throw new DatasetException("class folder " + classDir + " holds no .jpg, .jpeg or .png images");
            }
            files.addAll(images);
            for (int k = 0; k < images.size(); k++) {
                labelList.add(label);
            }
        }
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        byte[] pixels = new byte[ImageSet.pixelBytes(files.size(), size, size)];
        int bytesPerImage = size * size * 3;
        // Each image writes its own slice of the array, so the parallel decode needs no locking.
        IntStream.range(0, files.size()).parallel()
                .forEach(i -> ImageDecoder.decodeInto(files.get(i), size, pixels, i * bytesPerImage));
        return new ImageSet(pixels, labels, size, size, classes);
    }

    /** The sorted names of the non-hidden sub-folders of {@code splitDir}. */
    public static List<String> classNames(Path splitDir) {
        if (!Files.isDirectory(splitDir)) {
            throw new DatasetException("image folder not found: " + splitDir);
        }
        try (Stream<Path> entries = Files.list(splitDir)) {
            List<String> names = entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                throw new DatasetException("image folder " + splitDir + " has no class sub-folders");
            }
            return names;
        } catch (IOException e) {
            throw new DatasetException("cannot list image folder " + splitDir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> imageFiles(Path classDir) {
        try (Stream<Path> entries = Files.list(classDir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(ImageFolder::hasImageExtension)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list class folder " + classDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
