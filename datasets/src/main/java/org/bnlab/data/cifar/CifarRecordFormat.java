package org.bnlab.data.cifar;

/**
 * The layout of one record in an official CIFAR binary file: some label bytes, then 3,072 pixel
 * bytes as a 1,024-byte red plane, green plane and blue plane, each 32x32 row-major.
 *
 * @param labelRanges number of classes each label byte may take (its value must lie below it)
 * @param usedLabel   which of the label bytes becomes the image's label
 */
record CifarRecordFormat(int[] labelRanges, int usedLabel) {

    static final int SIDE = 32;
    static final int PLANE = SIDE * SIDE;
    static final int PIXEL_BYTES = 3 * PLANE;

    /** CIFAR-10: one label byte 0..9. */
    static final CifarRecordFormat CIFAR10 = new CifarRecordFormat(new int[] {10}, 0);

    /** CIFAR-100: a coarse label byte 0..19, then a fine label byte 0..99. */
    static CifarRecordFormat cifar100(Cifar100Labels kind) {
        return new CifarRecordFormat(new int[] {20, 100}, kind == Cifar100Labels.COARSE ? 0 : 1);
    }

    int labelBytes() {
        return labelRanges.length;
    }

    int recordBytes() {
        return labelBytes() + PIXEL_BYTES;
    }

    int numClasses() {
        return labelRanges[usedLabel];
    }
}
