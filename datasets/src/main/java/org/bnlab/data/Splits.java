package org.bnlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Held-out validation splits carved from a training set. */
public final class Splits {

    private Splits() {
    }

    /**
     * A seeded, stratified hold-out: the validation set gets {@code perClass} randomly chosen
     * images of every class, the training set keeps all others. Both keep the original reading
     * order. The same seed gives the same split; the test split is never touched, so validation
     * numbers can be used for choices without leaking into the final test accuracy.
     */
    public static Split holdOut(ImageSet data, int perClass, long seed) {
        if (perClass <= 0) {
            throw new DatasetException("validation images per class must be positive, got " + perClass);
        }
        int[] counts = data.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] <= perClass) {
                throw new DatasetException("cannot hold out " + perClass + " images of class '"
                        + data.classNames().get(c) + "': it has only " + counts[c]
                        + " and training needs at least one");
            }
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            byClass.add(new ArrayList<>(counts[c]));
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(data.label(i)).add(i);
        }

        SplittableRandom random = new SplittableRandom(seed);
        boolean[] held = new boolean[data.size()];
        for (List<Integer> members : byClass) {
            // Partial Fisher-Yates: the first perClass slots end up a uniform random sample.
            for (int k = 0; k < perClass; k++) {
                int j = k + random.nextInt(members.size() - k);
                Integer swap = members.get(k);
                members.set(k, members.get(j));
                members.set(j, swap);
                held[members.get(k)] = true;
            }
        }
        int[] validation = new int[perClass * counts.length];
        int[] train = new int[data.size() - validation.length];
        int v = 0;
        int t = 0;
        for (int i = 0; i < data.size(); i++) {
            if (held[i]) {
                validation[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        assert v == validation.length && t == train.length : Arrays.toString(counts);
        return new Split(data.select(train), data.select(validation));
    }
}
