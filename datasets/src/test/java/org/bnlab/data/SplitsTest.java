package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** Each synthetic image has a distinct first pixel row; use it to recognise images after copying. */
    private static Set<String> identities(ImageSet set) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < set.size(); i++) {
            ids.add(set.pixel(i, 0, 0, 0) + "/" + set.pixel(i, 0, 1, 0) + "/" + set.label(i)
                    + "/" + set.pixel(i, 1, 0, 2));
        }
        return ids;
    }

    @Test
    void holdOutIsStratifiedDisjointAndComplete() {
        ImageSet set = TestImages.cycling(8, 4, 2); // 32 images, 8 per class, all distinct
        assertEquals(32, identities(set).size(), "synthetic images must be distinguishable");
        Split split = Splits.holdOut(set, 3, 42L);
        assertArrayEquals(new int[] {3, 3, 3, 3}, split.validation().classCounts());
        assertArrayEquals(new int[] {5, 5, 5, 5}, split.train().classCounts());
        Set<String> train = identities(split.train());
        Set<String> validation = identities(split.validation());
        assertEquals(20, train.size());
        assertEquals(12, validation.size());
        Set<String> union = new HashSet<>(train);
        union.addAll(validation);
        assertEquals(identities(set), union, "together the two parts are the whole set");
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        ImageSet set = TestImages.cycling(20, 3, 2);
        Split a = Splits.holdOut(set, 5, 7L);
        Split b = Splits.holdOut(set, 5, 7L);
        Split c = Splits.holdOut(set, 5, 8L);
        assertArrayEquals(a.validation().pixels(), b.validation().pixels());
        assertArrayEquals(a.train().pixels(), b.train().pixels());
        assertFalse(identities(a.validation()).equals(identities(c.validation())), "another seed picks other images");
    }

    @Test
    void impossibleSizesAreRefused() {
        ImageSet set = TestImages.cycling(4, 2, 2);
        assertThrows(DatasetException.class, () -> Splits.holdOut(set, 0, 1L));
        assertThrows(DatasetException.class, () -> Splits.holdOut(set, -1, 1L));
        DatasetException tooMany = assertThrows(DatasetException.class, () -> Splits.holdOut(set, 4, 1L));
        assertTrue(tooMany.getMessage().contains("class0"), tooMany.getMessage());
    }
}
