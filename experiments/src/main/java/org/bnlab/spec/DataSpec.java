package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Which images a run trains and evaluates on, and how the data set is cut.
 *
 * @param dataset            {@code cifar10}, {@code cifar100} (fine labels), {@code cifar100-coarse},
 *                           {@code imagenette}, {@code folder}, {@code mnist} or {@code fashion-mnist} (see
 *                           {@code org.bnlab.data.DatasetCatalog})
 * @param root               the folder holding the data sets; null: {@code $BNLAB_DATA_DIR}, else
 *                           {@code ../shared/datasets}, else {@code ./data}. Fashion-MNIST is also found in Debian's
 *                           {@code /usr/share/datasets/fashion-mnist/} when the root has no {@code fashion-mnist/}.
 *                           Not part of a run's identity
 * @param imageSize          input height and width in pixels (CIFAR is 32, MNIST and Fashion-MNIST 28; ImageNet
 *                           subsets are resized)
 * @param trainPerClass      the first N training images of each class; 0 = all
 * @param trainFraction      instead: a stratified fraction of the training images in (0, 1]; null = not used
 * @param testPerClass       the first N test images of each class; 0 = all
 * @param validationPerClass hold out N training images per class (drawn from the seed) and evaluate on them instead
 *                           of the test set; 0 = evaluate on the test set
 * @param augment            random crop (4 pixels of padding) and horizontal flip of the training images; null = the
 *                           data set's standard (on for CIFAR, Imagenette and class folders; off for MNIST and
 *                           Fashion-MNIST, where a flipped digit is another symbol)
 * @param download           download the official archive when a CIFAR data set is missing. Not part of a run's
 *                           identity
 * @param skipBadImages      skip (and list) image files that are empty, truncated or undecodable instead of
 *                           stopping with an error
 */
@JsonPropertyOrder({"dataset", "root", "image_size", "train_per_class", "train_fraction", "test_per_class",
        "validation_per_class", "augment", "download", "skip_bad_images"})
public record DataSpec(String dataset, String root, int imageSize, int trainPerClass, Double trainFraction,
                       int testPerClass, int validationPerClass, Boolean augment, boolean download,
                       boolean skipBadImages) {

    public static final DataSpec DEFAULT = new DataSpec("cifar10", null, 32, 1000, null, 200, 0, null, true, false);

    public DataSpec {
        require(dataset != null && !dataset.isBlank(), "dataset", "dataset must be given");
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
    }
}
