package org.bnlab.data;

import java.util.SplittableRandom;

/**
 * What one epoch does to the data: the order images are visited in and, per position in that
 * order, the augmentation draw (crop offset and flip). Everything is derived from {@code (seed,
 * epoch)} alone, never from shared random state, so the same seed and epoch always give the same
 * epoch, and a run resumed at epoch {@code e} sees exactly what an uninterrupted run saw.
 */
final class EpochPlan {

    private final int[] order;
    private final byte[] shiftY;
    private final byte[] shiftX;
    private final boolean[] flip;

    private EpochPlan(int[] order, byte[] shiftY, byte[] shiftX, boolean[] flip) {
        this.order = order;
        this.shiftY = shiftY;
        this.shiftX = shiftX;
        this.flip = flip;
    }

    /**
     * @param padding the crop offsets are drawn uniformly from {@code -padding .. padding}, which is
     *                a random crop of the image padded by {@code padding} pixels on each side
     */
    static EpochPlan of(int size, long seed, int epoch, boolean shuffle, boolean augment, int padding) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        // Separate streams for order and augmentation, so switching shuffling on or off does not
        // change the augmentation draws (and vice versa).
        if (shuffle) {
            shuffleRange(order, 0, size, new SplittableRandom(streamSeed(seed, epoch, 1)));
        }
        return withAugmentation(order, seed, epoch, augment, padding);
    }

    /**
     * An epoch of batches that are not i.i.d. samples (Ioffe 2017, section 4.3): every batch of {@code batchSize}
     * images holds {@code batchSize / classesPerBatch} images of each of {@code classesPerBatch} classes. Each class's
     * images are shuffled and cut into groups of that many; each batch takes one group from each of the
     * {@code classesPerBatch} classes with the most groups left (ties broken at random), which uses as many groups
     * as any choice could; the images inside a batch are shuffled. The images left over (a class's last images that
     * do not fill a group, and groups no batch could take) are left out of this epoch, other ones each epoch.
     * Which classes meet in a batch therefore changes from batch to batch and epoch to epoch, drawn from
     * {@code (seed, epoch)}; the number of batches does not depend on the seed or the epoch.
     *
     * @param labels          each image's class in {@code 0 .. classes-1}
     * @param classesPerBatch at least 1, at most {@code classes}, and dividing {@code batchSize}
     * @throws DatasetException for impossible arguments or when not one batch can be formed
     */
    static EpochPlan classBatched(int[] labels, int classes, int batchSize, int classesPerBatch, long seed,
                                  int epoch, boolean augment, int padding) {
        if (classesPerBatch < 1 || classesPerBatch > classes) {
            throw new DatasetException("data.batch_classes: " + classesPerBatch + " classes per batch, but the "
                    + "data set has " + classes + " classes");
        }
        if (batchSize % classesPerBatch != 0) {
            throw new DatasetException("data.batch_classes: " + classesPerBatch + " classes per batch do not "
                    + "divide the batch size " + batchSize);
        }
        int perClass = batchSize / classesPerBatch;
        int[][] members = membersByClass(labels, classes);
        SplittableRandom random = new SplittableRandom(streamSeed(seed, epoch, 1));
        for (int[] images : members) {
            shuffleRange(images, 0, images.length, random);
        }
        int[] groupsLeft = new int[classes];
        int[] taken = new int[classes];
        for (int c = 0; c < classes; c++) {
            groupsLeft[c] = members[c].length / perClass;
        }
        int batches = classBatchCount(groupsLeft, classesPerBatch);
        if (batches == 0) {
            throw new DatasetException("data.batch_classes: no batch of " + classesPerBatch + " classes with "
                    + perClass + " images each can be formed: fewer than " + classesPerBatch + " classes have "
                    + perClass + " training images");
        }
        int[] order = new int[batches * batchSize];
        Integer[] byGroupsLeft = new Integer[classes];
        long[] tieBreak = new long[classes];
        for (int b = 0; b < batches; b++) {
            for (int c = 0; c < classes; c++) {
                byGroupsLeft[c] = c;
                tieBreak[c] = random.nextLong();
            }
            java.util.Arrays.sort(byGroupsLeft, (x, y) -> groupsLeft[x] != groupsLeft[y]
                    ? Integer.compare(groupsLeft[y], groupsLeft[x]) : Long.compare(tieBreak[x], tieBreak[y]));
            int position = b * batchSize;
            for (int i = 0; i < classesPerBatch; i++) {
                int c = byGroupsLeft[i];
                System.arraycopy(members[c], taken[c] * perClass, order, position, perClass);
                position += perClass;
                taken[c]++;
                groupsLeft[c]--;
            }
            shuffleRange(order, b * batchSize, batchSize, random);
        }
        return withAugmentation(order, seed, epoch, augment, padding);
    }

    /**
     * How many batches of {@code classesPerBatch} distinct classes, one group of each, the group counts give when
     * every batch takes the classes with the most groups left (the most any choice gives).
     */
    static int classBatchCount(int[] groupsPerClass, int classesPerBatch) {
        int[] left = groupsPerClass.clone();
        int batches = 0;
        while (true) {
            java.util.Arrays.sort(left);
            if (left.length < classesPerBatch || left[left.length - classesPerBatch] == 0) {
                return batches;
            }
            for (int i = left.length - classesPerBatch; i < left.length; i++) {
                left[i]--;
            }
            batches++;
        }
    }

    private static int[][] membersByClass(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] members = new int[classes][];
        for (int c = 0; c < classes; c++) {
            members[c] = new int[counts[c]];
        }
        int[] filled = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            members[labels[i]][filled[labels[i]]++] = i;
        }
        return members;
    }

    /** Fisher-Yates over {@code values[from .. from+length-1]}. */
    private static void shuffleRange(int[] values, int from, int length, SplittableRandom random) {
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[from + i];
            values[from + i] = values[from + j];
            values[from + j] = swap;
        }
    }

    /** The plan visiting {@code order}, with the augmentation draws of {@code (seed, epoch)} when augmenting. */
    private static EpochPlan withAugmentation(int[] order, long seed, int epoch, boolean augment, int padding) {
        int size = order.length;
        if (!augment) {
            return new EpochPlan(order, null, null, null);
        }
        SplittableRandom random = new SplittableRandom(streamSeed(seed, epoch, 2));
        byte[] shiftY = new byte[size];
        byte[] shiftX = new byte[size];
        boolean[] flip = new boolean[size];
        for (int p = 0; p < size; p++) {
            shiftY[p] = (byte) (random.nextInt(2 * padding + 1) - padding);
            shiftX[p] = (byte) (random.nextInt(2 * padding + 1) - padding);
            flip[p] = random.nextBoolean();
        }
        return new EpochPlan(order, shiftY, shiftX, flip);
    }

    /** A well-mixed seed per (seed, epoch, stream): nearby seeds or epochs must not give related streams. */
    static long streamSeed(long seed, int epoch, int stream) {
        return mix64(mix64(mix64(seed) + epoch) + stream);
    }

    /** The finaliser of SplitMix64 (Steele, Lea, Flood 2014): a bijection that scrambles all bits. */
    private static long mix64(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    int size() {
        return order.length;
    }

    /** The image index visited at {@code position} of the epoch. */
    int image(int position) {
        return order[position];
    }

    boolean augmented() {
        return flip != null;
    }

    int shiftY(int position) {
        return shiftY[position];
    }

    int shiftX(int position) {
        return shiftX[position];
    }

    boolean flip(int position) {
        return flip[position];
    }
}
