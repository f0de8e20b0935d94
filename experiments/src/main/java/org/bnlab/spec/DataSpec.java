package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Which images a run trains and evaluates on, and how the data set is cut.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"dataset", "root", "image_size", "train_per_class", "train_fraction", "test_per_class",
        "validation_per_class", "augment", "download", "skip_bad_images", "batch_classes"})
public record DataSpec(
        @JsonPropertyDescription("`cifar10`, `cifar100` (fine labels), `cifar100-coarse`, `imagenette`, `folder` "
                + "(class folders), `mnist` or `fashion-mnist`")
        String dataset,
        @JsonPropertyDescription("the folder holding the data sets (`--data-dir`); null: `$BNLAB_DATA_DIR`, else "
                + "`../shared/datasets`, else `./data`; Fashion-MNIST is also found in Debian's "
                + "`/usr/share/datasets/fashion-mnist/`. Not part of a run's identity")
        String root,
        @JsonPropertyDescription("input height and width in pixels; CIFAR is 32, MNIST and Fashion-MNIST need 28, "
                + "ImageNet subsets are resized to it")
        int imageSize,
        @JsonPropertyDescription("the first N training images of each class; 0 = all")
        int trainPerClass,
        @JsonPropertyDescription("instead of `train_per_class`: a stratified fraction of the training images in "
                + "(0, 1]; null = not used")
        Double trainFraction,
        @JsonPropertyDescription("the first N test images of each class; 0 = all")
        int testPerClass,
        @JsonPropertyDescription("hold out N training images per class (drawn from the seed) and evaluate on them "
                + "instead of the test set; 0 = evaluate on the test set")
        int validationPerClass,
        @JsonPropertyDescription("random crop (4 pixels of padding) and horizontal flip of the training images: "
                + "`true`, `false`, or null = the data set's standard (on for CIFAR, Imagenette and class folders; "
                + "off for MNIST and Fashion-MNIST, where a flipped digit is another symbol)")
        Boolean augment,
        @JsonPropertyDescription("download the official archive when a CIFAR data set is missing "
                + "(`--no-download`). Not part of a run's identity")
        boolean download,
        @JsonPropertyDescription("skip and list image files that are empty, truncated or undecodable instead of "
                + "stopping with an error (`--skip-bad-images`)")
        boolean skipBadImages,
        @JsonPropertyDescription("training batches that are not i.i.d. samples (Ioffe 2017, 4.3): every batch holds "
                + "`train.batch_size / k` images of each of k classes, which must divide the batch size. Per "
                + "epoch each class's images are shuffled and cut into groups of that many, each batch takes one "
                + "group of each of the k classes with the most groups left (ties drawn from the seed), and the "
                + "images inside a batch are shuffled; every batch is full, and the images no batch takes (a "
                + "class's remainder) sit out that epoch. 0 = i.i.d. batches (a shuffle of the whole set per epoch)")
        @SettingKind.AddedLater
        int batchClasses) {

    public static final DataSpec DEFAULT = new DataSpec("cifar10", null, 32, 1000, null, 200, 0, null, true, false,
            0);

    public DataSpec {
        require(dataset != null && !dataset.isBlank(), "dataset", "dataset must be given");
        // checked here, so that a misspelt name stops the plan before anything is written or trained
        require(org.bnlab.data.DatasetCatalog.NAMES.contains(dataset), "dataset", "unknown dataset '" + dataset
                + "' (expected one of: " + String.join(", ", org.bnlab.data.DatasetCatalog.NAMES) + ")");
        require(imageSize >= 8 && imageSize <= 512, "image_size",
                "image size must be between 8 and 512 pixels, got " + imageSize);
        require(trainPerClass >= 0, "train_per_class",
                "train images per class must be >= 0 (0 = all), got " + trainPerClass);
        require(trainFraction == null || (trainFraction > 0 && trainFraction <= 1), "train_fraction",
                "train fraction must be in (0, 1], got " + trainFraction);
        require(trainFraction == null || trainPerClass == 0, "train_fraction",
                "give either train_per_class or train_fraction, not both (set train_per_class to 0)");
        require(testPerClass >= 0, "test_per_class",
                "test images per class must be >= 0 (0 = all), got " + testPerClass);
        require(validationPerClass >= 0, "validation_per_class",
                "validation images per class must be >= 0, got " + validationPerClass);
        require(batchClasses >= 0, "batch_classes",
                "classes per training batch must be >= 0 (0 = i.i.d. batches), got " + batchClasses);
    }
}
