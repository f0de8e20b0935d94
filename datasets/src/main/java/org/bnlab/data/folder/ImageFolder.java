package org.bnlab.data.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bnlab.data.BadImage;
import org.bnlab.data.BadImageException;
import org.bnlab.data.BadImagePolicy;
import org.bnlab.data.DataProblems;
import org.bnlab.data.DatasetException;
import org.bnlab.data.ImageSet;

/**
 * Reads a class-folder tree, {@code root/<split>/<class>/*.{jpg,jpeg,png}} (extensions in any
 * case), into an {@link ImageSet} of {@code size x size} RGB images.
 *
 * <p>Classes are the sorted sub-folder names of the split folder and get labels 0..k-1 in that
 * order; within a class, files are read in sorted name order, so the reading order (which subsets
 * such as {@link ImageSet#firstPerClass} rely on) is the same on every machine. Hidden entries
 * (names starting with a dot, such as {@code .DS_Store} or macOS's {@code ._photo.jpg}) are
 * ignored. Images are decoded in parallel over all cores.
 *
 * <p>A file that is empty, truncated, corrupt or not an image ({@link BadImage}) stops the read
 * unless {@link BadImagePolicy#SKIP} is asked for; a name the JVM cannot map to text (a non-ASCII
 * name under the C locale) always stops it, naming the folder, because guessing would change the
 * class names and the reading order.
 */
public final class ImageFolder {

    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png");

    private ImageFolder() {
    }

    /**
     * The images of one split and the bad files left out of it.
     *
     * @param images  the usable images
     * @param skipped the bad files, in reading order; always empty under {@link BadImagePolicy#REFUSE}
     */
    public record Contents(ImageSet images, DataProblems skipped) {
        public Contents {
            Objects.requireNonNull(images, "images");
            Objects.requireNonNull(skipped, "skipped");
        }
    }

    /**
     * {@link #read(Path, String, int, BadImagePolicy)} refusing bad images.
     *
     * @throws BadImageException naming the first bad file in reading order
     */
    public static ImageSet read(Path root, String split, int size) {
        return read(root, split, size, BadImagePolicy.REFUSE).images();
    }

    /**
     * @param root   the tree's root
     * @param split  the split folder under it, e.g. {@code train}, {@code test} or {@code val}
     * @param size   the side length every image is resized to (no resize if it already has it)
     * @param policy what a bad image file does: stop the read, or be left out and listed
     * @throws BadImageException under {@link BadImagePolicy#REFUSE}, naming the first bad file in reading order
     *                           and how many more there are
     * @throws DatasetException  when a folder is missing or cannot be listed, a class has no (usable) images, or
     *                           an entry's name cannot be mapped
     */
    public static Contents read(Path root, String split, int size, BadImagePolicy policy) {
        if (size <= 0) {
            throw new DatasetException("image size must be positive, got " + size);
        }
        Path splitDir = root.resolve(split);
        List<Path> classDirs = classFolders(splitDir);
        List<String> classes = classDirs.stream().map(ImageFolder::name).toList();
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (int label = 0; label < classDirs.size(); label++) {
            List<Path> images = imageFiles(classDirs.get(label));
            if (images.isEmpty()) {
                throw new DatasetException("class folder " + classDirs.get(label)
                        + " holds no .jpg, .jpeg or .png images");
            }
            files.addAll(images);
            for (int k = 0; k < images.size(); k++) {
                labelList.add(label);
            }
        }
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        byte[] pixels = new byte[ImageSet.pixelBytes(files.size(), size, size)];
        int bytesPerImage = size * size * 3;
        BadImage[] bad = new BadImage[files.size()];
        // Each image writes its own slice of the arrays, so the parallel decode needs no locking.
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                ImageDecoder.decodeInto(files.get(i), size, pixels, i * bytesPerImage);
            } catch (BadImageException e) {
                bad[i] = e.badImage();
            }
        });
        ImageSet all = new ImageSet(pixels, labels, size, size, classes);
        List<BadImage> skipped = Stream.of(bad).filter(Objects::nonNull).toList();
        if (skipped.isEmpty()) {
            return new Contents(all, DataProblems.NONE);
        }
        if (policy == BadImagePolicy.REFUSE) {
            String more = skipped.size() == 1 ? ""
                    : " (and " + (skipped.size() - 1) + " more bad image files under " + splitDir + ")";
            throw new BadImageException(skipped.get(0), more);
        }
        ImageSet usable = all.select(IntStream.range(0, bad.length).filter(i -> bad[i] == null).toArray());
        int[] counts = usable.classCounts();
        for (int label = 0; label < counts.length; label++) {
            if (counts[label] == 0) {
                throw new DatasetException("class folder " + classDirs.get(label)
                        + " holds no usable images: all of its image files are bad (the first: "
                        + firstBadOf(bad, labels, label).describe() + ")");
            }
        }
        return new Contents(usable, new DataProblems(skipped));
    }

    /** The sorted names of the non-hidden sub-folders of {@code splitDir}. */
    public static List<String> classNames(Path splitDir) {
        return classFolders(splitDir).stream().map(ImageFolder::name).toList();
    }

    private static List<Path> classFolders(Path splitDir) {
        if (!Files.isDirectory(splitDir)) {
            throw new DatasetException("image folder not found: " + splitDir);
        }
        List<Path> folders = visibleEntries(splitDir, Files::isDirectory);
        if (folders.isEmpty()) {
            throw new DatasetException("image folder " + splitDir + " has no class sub-folders");
        }
        return folders;
    }

    private static List<Path> imageFiles(Path classDir) {
        return visibleEntries(classDir, file -> Files.isRegularFile(file) && hasImageExtension(file));
    }

    /**
     * The entries of {@code folder} that {@code keep} and whose names do not start with a dot, sorted by name,
     * each with a name that {@link #requireMappedName} accepts.
     */
    private static List<Path> visibleEntries(Path folder, Predicate<Path> keep) {
        try (Stream<Path> entries = Files.list(folder)) {
            List<Path> kept = entries.filter(entry -> !name(entry).startsWith(".")).filter(keep)
                    .sorted(Comparator.comparing(ImageFolder::name)).toList();
            kept.forEach(entry -> requireMappedName(folder, entry)); // in sorted order: the same one named every time
            return kept;
        } catch (IOException e) {
            throw new DatasetException("cannot list folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the name of {@code entry}, a child of {@code folder} as listed, stands for exactly the bytes on
     * disk. The JVM decodes file names with the locale's encoding ({@code sun.jnu.encoding}, fixed at start-up):
     * under {@code LC_ALL=C} that is ASCII, so {@code café} reads as {@code caf??}, which names no file, and two
     * such names could even read the same. Such a name is refused with one line naming the folder.
     */
    private static void requireMappedName(Path folder, Path entry) {
        String name = name(entry);
        try {
            if (folder.resolve(name).equals(entry)) {
                return;
            }
        } catch (InvalidPathException e) {
            // the decoded name cannot even be encoded back: certainly not the name on disk
        }
        throw new DatasetException("folder " + folder + " holds an entry whose name cannot be read in this JVM's "
                + "file-name encoding " + System.getProperty("sun.jnu.encoding") + " (it reads as \""
                + name.replace('\uFFFD', '?') + "\"); run Java under a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
    }

    private static String name(Path entry) {
        return entry.getFileName().toString();
    }

    private static BadImage firstBadOf(BadImage[] bad, int[] labels, int label) {
        return IntStream.range(0, bad.length).filter(i -> labels[i] == label && bad[i] != null)
                .mapToObj(i -> bad[i]).findFirst().orElseThrow();
    }

    private static boolean hasImageExtension(Path file) {
        String name = name(file);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
