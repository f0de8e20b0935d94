package org.bnlab.experiment;

import org.bnlab.data.Layout;

import java.nio.file.Path;

/**
 * Which images a comparison trains and evaluates on.
 *
 * @param dataset            a name known to {@link org.bnlab.data.DatasetCatalog}: cifar10, cifar100, imagenette, ...
 * @param dataRoot           the folder holding the datasets, or null to resolve it as the catalog documents
 * @param imageSize          input resolution (CIFAR is 32; ImageNet subsets are resized to it)
 * @param trainPerClass      keep only the first N training images of each class (null: all)
 * @param trainFraction      keep this stratified fraction of the training images (null: all)
 * @param testPerClass       evaluate on the first N test images of each class (null: all)
 * @param validationPerClass hold out N training images per class (seeded) and evaluate on them instead of the
 *                           test set (0: evaluate on the test set)
 * @param allowDownload      download the official archive when a dataset is missing
 * @param layout             tensor layout of batches
 * @param skipBadImages      leave out empty, truncated or corrupt image files (listed in the run records) instead of
 *                           stopping at the first
 */
public record DataOptions(String dataset, Path dataRoot, int imageSize, Integer trainPerClass, Double trainFraction,
                          Integer testPerClass, int validationPerClass, boolean allowDownload, Layout layout,
                          boolean skipBadImages) {

    /** Options that stop at the first bad image file. */
    public DataOptions(String dataset, Path dataRoot, int imageSize, Integer trainPerClass, Double trainFraction,
                       Integer testPerClass, int validationPerClass, boolean allowDownload, Layout layout) {
        this(dataset, dataRoot, imageSize, trainPerClass, trainFraction, testPerClass, validationPerClass,
                allowDownload, layout, false);
    }

    public DataOptions {
        if (imageSize < 8 || imageSize > 512) {
            throw new IllegalArgumentException("image size must be between 8 and 512, got " + imageSize);
        }
        if (trainPerClass != null && trainPerClass <= 0) {
            throw new IllegalArgumentException("train images per class must be positive, got " + trainPerClass);
        }
        if (trainFraction != null && !(trainFraction > 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("train fraction must be in (0, 1], got " + trainFraction);
        }
        if (trainPerClass != null && trainFraction != null) {
            throw new IllegalArgumentException("give either train images per class or a train fraction, not both");
        }
        if (testPerClass != null && testPerClass <= 0) {
            throw new IllegalArgumentException("test images per class must be positive, got " + testPerClass);
        }
        if (validationPerClass < 0) {
            throw new IllegalArgumentException("validation images per class must be >= 0, got " + validationPerClass);
        }
    }
}
