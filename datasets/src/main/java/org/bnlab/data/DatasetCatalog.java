package org.bnlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bnlab.data.cifar.Cifar100Labels;
import org.bnlab.data.cifar.CifarBinary;
import org.bnlab.data.download.ArchiveDownloader;
import org.bnlab.data.download.ArchiveSpec;
import org.bnlab.data.folder.ImageFolder;
import org.bnlab.data.idx.MnistFiles;

/**
 * Turns a dataset name and a data root into its {@link DatasetParts}, decoding each dataset at
 * most once per process.
 *
 * <h2>Names</h2>
 * <ul>
 *   <li>{@code cifar10}: the official binary {@code cifar-10-batches-bin/} under the data root if
 *       present, else the JPEG class folders {@code cifar-10-jpeg/{train,test}/<class>/}, else the
 *       official binary archive is downloaded (if allowed). 32x32 only.</li>
 *   <li>{@code cifar100}: {@code cifar-100-binary/} with the 100 fine labels, else downloaded.
 *       {@code cifar100-coarse}: the same images with the 20 coarse labels. 32x32 only.</li>
 *   <li>{@code imagenette}: {@code imagenette2-224/{train,val}/<wnid>/}, resized to the requested
 *       image size (never downloaded).</li>
 *   <li>{@code folder}: the data root itself is a class-folder tree with {@code train/} and
 *       {@code test/} (or, failing that, {@code val/}), resized to the requested image size.</li>
 *   <li>{@code mnist} and {@code fashion-mnist}: the four IDX files ({@link MnistFiles}, plain or
 *       gzipped) in {@code mnist/} or {@code fashion-mnist/} under the data root; for Fashion-MNIST,
 *       when that folder is not there, Debian's {@code /usr/share/datasets/fashion-mnist/} (package
 *       {@code dataset-fashion-mnist}). 28x28 grayscale (one channel), 60,000 training and 10,000
 *       test images; never downloaded.</li>
 * </ul>
 *
 * <h2>Augmentation</h2>
 * {@link #augmentsByDefault(String)} says whether a data set's standard recipe augments its
 * training images (random crop and horizontal flip, see {@link BatchIterator}): the CIFAR,
 * Imagenette and class-folder sets do; MNIST and Fashion-MNIST do not (a flipped digit is another
 * symbol, and their standard benchmarks train on the images as they are).
 *
 * <h2>Data root</h2>
 * {@link #resolveDataRoot(Path)} picks the first of:
 * <ol>
 *   <li>the value of the command-line flag, if one was given;</li>
 *   <li>the environment variable {@code BNLAB_DATA_DIR}, if set and not blank;</li>
 *   <li>{@code ../shared/datasets} relative to the working directory, if that folder exists;</li>
 *   <li>{@code data/} in the working directory (created when something is downloaded).</li>
 * </ol>
 * Fashion-MNIST alone is also looked for outside the data root: in {@link #DEBIAN_FASHION_MNIST}
 * when the data root has no {@code fashion-mnist/} folder (one that is there but incomplete is an
 * error, not a reason to look elsewhere).
 */
public final class DatasetCatalog {

    /** Environment variable naming the data root. */
    public static final String DATA_DIR_ENV = "BNLAB_DATA_DIR";
    /** Image side used when none is asked for; CIFAR's native size. */
    public static final int DEFAULT_IMAGE_SIZE = 32;
    /** The dataset names {@link #load} knows. */
    public static final List<String> NAMES = List.of("cifar10", "cifar100", "cifar100-coarse", "imagenette", "folder",
            "mnist", "fashion-mnist");
    /** Where Debian's package {@code dataset-fashion-mnist} installs the four gzipped IDX files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    static final String CIFAR10_JPEG_FOLDER = "cifar-10-jpeg";
    static final String IMAGENETTE_FOLDER = "imagenette2-224";
    private static final int CIFAR_SIZE = 32;

    /** Decoded datasets of this process, keyed by kind, real path and image size. */
    private static final Map<String, DatasetParts> CACHE = new ConcurrentHashMap<>();

    private DatasetCatalog() {
    }

    /** The data root, in the order given in the class comment, relative to the current working directory. */
    public static Path resolveDataRoot(Path flagValueOrNull) {
        return resolveDataRoot(flagValueOrNull, System.getenv(), Path.of(""));
    }

    /** {@link #resolveDataRoot(Path)} with the environment and working directory spelled out (for tests). */
    public static Path resolveDataRoot(Path flagValueOrNull, Map<String, String> environment, Path workingDirectory) {
        if (flagValueOrNull != null) {
            return flagValueOrNull;
        }
        String fromEnvironment = environment.get(DATA_DIR_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment.trim());
        }
        Path shared = workingDirectory.resolve("..").resolve("shared").resolve("datasets").normalize();
        if (Files.isDirectory(shared)) {
            return shared;
        }
        return workingDirectory.resolve("data");
    }

    /** {@link #load(String, Path, int, boolean)} at {@link #DEFAULT_IMAGE_SIZE}. */
    public static DatasetParts load(String name, Path dataRoot, boolean allowDownload) {
        return load(name, dataRoot, DEFAULT_IMAGE_SIZE, allowDownload);
    }

    /** {@link #load(String, Path, int, boolean, BadImagePolicy)} refusing bad image files. */
    public static DatasetParts load(String name, Path dataRoot, int imageSize, boolean allowDownload) {
        return load(name, dataRoot, imageSize, allowDownload, BadImagePolicy.REFUSE);
    }

    /**
     * The official splits of dataset {@code name} found under {@code dataRoot}.
     *
     * @param imageSize     side length images are resized to (CIFAR: must be 32; MNIST, Fashion-MNIST: 28)
     * @param allowDownload whether a missing CIFAR dataset may be downloaded into {@code dataRoot}
     * @param badImages     what an empty, truncated or corrupt file in a class-folder dataset does: stop the load
     *                      ({@link BadImageException} naming it), or be left out and listed in
     *                      {@link DatasetParts#problems()}; the CIFAR binaries are checked as a whole either way
     * @throws DatasetException for a missing, incomplete or unreadable dataset, an unknown name or an impossible size
     */
    public static synchronized DatasetParts load(String name, Path dataRoot, int imageSize, boolean allowDownload,
                                                 BadImagePolicy badImages) {
        Objects.requireNonNull(badImages, "badImages");
        if (name == null || !NAMES.contains(name)) {
            throw new DatasetException("unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
        }
        if (imageSize <= 0) {
            throw new DatasetException("image size must be positive, got " + imageSize);
        }
        return switch (name) {
            case "cifar10" -> cifar10(dataRoot, imageSize, allowDownload, badImages);
            case "cifar100" -> cifar100(dataRoot, imageSize, allowDownload, Cifar100Labels.FINE);
            case "cifar100-coarse" -> cifar100(dataRoot, imageSize, allowDownload, Cifar100Labels.COARSE);
            case "imagenette" -> imagenette(dataRoot, imageSize, badImages);
            case "folder" -> folder(dataRoot, imageSize, badImages);
            case "mnist" -> idx(dataRoot, imageSize, MnistFiles.Kind.MNIST, List.of());
            case "fashion-mnist" -> idx(dataRoot, imageSize, MnistFiles.Kind.FASHION_MNIST,
                    List.of(DEBIAN_FASHION_MNIST));
            default -> throw new IllegalStateException("name listed but not handled: " + name);
        };
    }

    /**
     * Whether the standard recipe for data set {@code name} augments its training images with a random crop and
     * horizontal flip: true for the CIFAR, Imagenette and class-folder sets, false for MNIST and Fashion-MNIST.
     *
     * @throws DatasetException for an unknown name
     */
    public static boolean augmentsByDefault(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw new DatasetException("unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return !name.equals("mnist") && !name.equals("fashion-mnist");
    }

    /** Forgets all decoded datasets (for tests, or to free memory). */
    public static synchronized void clearCache() {
        CACHE.clear();
    }

    private static DatasetParts cifar10(Path root, int imageSize, boolean allowDownload, BadImagePolicy badImages) {
        requireCifarSize("cifar10", imageSize);
        Path binary = root.resolve(CifarBinary.CIFAR10_FOLDER);
        Path jpeg = root.resolve(CIFAR10_JPEG_FOLDER);
        if (Files.isDirectory(binary)) {
            return cached("cifar10-binary", binary, CIFAR_SIZE, () -> CifarBinary.readCifar10(binary));
        }
        if (Files.isDirectory(jpeg)) {
            return cached("cifar10-jpeg-" + badImages, jpeg, CIFAR_SIZE, () -> classFolders(jpeg, "test", CIFAR_SIZE,
                    badImages, "CIFAR-10 JPEG folders at " + jpeg));
        }
        requireDownloadAllowed(allowDownload, "CIFAR-10", root,
                CifarBinary.CIFAR10_FOLDER + "/ (official binary) or " + CIFAR10_JPEG_FOLDER + "/ (class folders)");
        Path fetched = new ArchiveDownloader().fetch(ArchiveSpec.CIFAR10, root);
        return cached("cifar10-binary", fetched, CIFAR_SIZE, () -> CifarBinary.readCifar10(fetched));
    }

    private static DatasetParts cifar100(Path root, int imageSize, boolean allowDownload, Cifar100Labels labels) {
        requireCifarSize(labels == Cifar100Labels.FINE ? "cifar100" : "cifar100-coarse", imageSize);
        Path binary = root.resolve(CifarBinary.CIFAR100_FOLDER);
        if (!Files.isDirectory(binary)) {
            requireDownloadAllowed(allowDownload, "CIFAR-100", root, CifarBinary.CIFAR100_FOLDER + "/ (official binary)");
            new ArchiveDownloader().fetch(ArchiveSpec.CIFAR100, root);
        }
        return cached("cifar100-" + labels, binary, CIFAR_SIZE, () -> CifarBinary.readCifar100(binary, labels));
    }

    private static DatasetParts imagenette(Path root, int imageSize, BadImagePolicy badImages) {
        Path tree = root.resolve(IMAGENETTE_FOLDER);
        if (!Files.isDirectory(tree)) {
            throw new DatasetException("no Imagenette data in " + describeRoot(root) + ": expected " + IMAGENETTE_FOLDER
                    + "/ with train/ and val/ class folders (it is not downloaded automatically)");
        }
        return cached("imagenette-" + badImages, tree, imageSize, () -> classFolders(tree, "val", imageSize, badImages,
                "Imagenette JPEG folders at " + tree + " (train/val, resized to " + imageSize + "x" + imageSize + ")"));
    }

    private static DatasetParts folder(Path root, int imageSize, BadImagePolicy badImages) {
        if (!Files.isDirectory(root.resolve("train"))) {
            throw new DatasetException("no class-folder dataset at " + describeRoot(root) + ": expected train/ and test/ (or val/)");
        }
        String testSplit = Files.isDirectory(root.resolve("test")) ? "test" : "val";
        if (!Files.isDirectory(root.resolve(testSplit))) {
            throw new DatasetException("class-folder dataset at " + root + " has train/ but neither test/ nor val/");
        }
        return cached("folder-" + badImages, root, imageSize, () -> classFolders(root, testSplit, imageSize, badImages,
                "class folders at " + root + " (train/" + testSplit + ", " + imageSize + "x" + imageSize + ")"));
    }

    /**
     * MNIST or Fashion-MNIST from {@code root/<name>/}, else from the first complete system folder (Debian's).
     * Package-private with the system folders spelled out, for tests.
     */
    static DatasetParts idx(Path root, int imageSize, MnistFiles.Kind kind, List<Path> systemFolders) {
        String name = kind == MnistFiles.Kind.MNIST ? "mnist" : "fashion-mnist";
        if (imageSize != MnistFiles.SIDE) {
            throw new DatasetException(name + " images are " + MnistFiles.SIDE + "x" + MnistFiles.SIDE + "; image size "
                    + imageSize + " is not supported for it (set data.image_size to " + MnistFiles.SIDE + ")");
        }
        Path folder = root.resolve(name);
        if (!Files.isDirectory(folder)) {
            folder = systemFolders.stream().filter(MnistFiles::isComplete).findFirst().orElseThrow(() ->
                    new DatasetException("no " + kind.title() + " data in " + describeRoot(root) + ": expected "
                            + name + "/ with " + String.join(", ", MnistFiles.FILES) + " (each may be .gz)"
                            + (systemFolders.isEmpty() ? "" : "; not in " + systemFolders.stream().map(Path::toString)
                            .collect(Collectors.joining(", ")) + " either (Debian: apt-get install"
                            + " dataset-" + name + ")") + "; it is not downloaded automatically"));
        }
        Path chosen = folder;
        return cached(name, chosen, MnistFiles.SIDE, () -> MnistFiles.read(chosen, kind));
    }

    /** {@code tree/train} and {@code tree/<testSplit>} read as class folders, with the bad files of both. */
    private static DatasetParts classFolders(Path tree, String testSplit, int imageSize, BadImagePolicy badImages,
                                             String source) {
        ImageFolder.Contents train = ImageFolder.read(tree, "train", imageSize, badImages);
        ImageFolder.Contents test = ImageFolder.read(tree, testSplit, imageSize, badImages);
        return new DatasetParts(train.images(), test.images(), source, train.skipped().plus(test.skipped()));
    }

    private static void requireCifarSize(String name, int imageSize) {
        if (imageSize != CIFAR_SIZE) {
            throw new DatasetException(name + " images are 32x32; image size " + imageSize + " is not supported for it");
        }
    }

    private static void requireDownloadAllowed(boolean allowDownload, String what, Path root, String expected) {
        if (!allowDownload) {
            throw new DatasetException("no " + what + " data in " + describeRoot(root) + ": expected " + expected
                    + ", and downloading is disabled");
        }
    }

    private static String describeRoot(Path root) {
        return Files.isDirectory(root) ? root.toString() : root + " (that folder does not exist)";
    }

    private static DatasetParts cached(String kind, Path folder, int imageSize, Supplier<DatasetParts> reader) {
        String key = kind + "|" + realPath(folder) + "|" + imageSize;
        DatasetParts parts = CACHE.get(key);
        if (parts == null) {
            parts = reader.get(); // load() is synchronized, so plain get/put cannot decode twice
            CACHE.put(key, parts);
        }
        return parts;
    }

    private static String realPath(Path folder) {
        try {
            return folder.toRealPath().toString();
        } catch (IOException e) {
            return folder.toAbsolutePath().normalize().toString();
        }
    }
}
