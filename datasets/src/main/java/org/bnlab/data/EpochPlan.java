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
            SplittableRandom random = new SplittableRandom(streamSeed(seed, epoch, 1));
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
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
