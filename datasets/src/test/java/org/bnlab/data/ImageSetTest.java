package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSetTest {

    @Test
    void accessorsDescribeTheImages() {
        ImageSet set = TestImages.cycling(4, 3, 5);
        assertEquals(12, set.size());
        assertEquals(5, set.height());
        assertEquals(5, set.width());
        assertEquals(3, set.channels());
        assertEquals(3, set.numClasses());
        assertEquals(List.of("class0", "class1", "class2"), set.classNames());
        assertArrayEquals(new int[] {4, 4, 4}, set.classCounts());
        assertEquals(2, set.label(5));
        assertEquals(TestImages.value(7, 2, 3, 1), set.pixel(7, 2, 3, 1));
        assertEquals("12 images 5x5 RGB, 3 classes, 4 per class", set.describe());
    }

    @Test
    void constructorRejectsInconsistentInput() {
        List<String> names = TestImages.classNames(2);
        DatasetException wrongSize = assertThrows(DatasetException.class,
                () -> new ImageSet(new byte[10], new int[] {0}, 2, 2, names));
        assertTrue(wrongSize.getMessage().contains("10 bytes"), wrongSize.getMessage());
        DatasetException badLabel = assertThrows(DatasetException.class,
                () -> new ImageSet(new byte[12], new int[] {2}, 2, 2, names));
        assertTrue(badLabel.getMessage().contains("label 2"), badLabel.getMessage());
    }

    @Test
    void selectCopiesImagesInTheGivenOrder() {
        ImageSet set = TestImages.cycling(3, 2, 4);
        ImageSet picked = set.select(new int[] {5, 0, 5});
        assertEquals(3, picked.size());
        assertArrayEquals(new int[] {1, 0, 1}, picked.labels());
        assertEquals(set.pixel(5, 3, 1, 2), picked.pixel(0, 3, 1, 2));
        assertEquals(set.pixel(0, 1, 2, 0), picked.pixel(1, 1, 2, 0));
        assertThrows(DatasetException.class, () -> set.select(new int[] {6}));
    }

    @Test
    void firstPerClassTakesTheEarliestImagesOfEachClass() {
        // labels 0 1 2 0 1 2 0 1 2 ...
        ImageSet set = TestImages.cycling(5, 3, 2);
        ImageSet two = set.firstPerClass(2);
        assertArrayEquals(new int[] {2, 2, 2}, two.classCounts());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, two.labels());
        // image 3 of the original is the second image of class 0
        assertEquals(set.pixel(3, 1, 1, 1), two.pixel(3, 1, 1, 1));
        assertArrayEquals(new int[] {5, 5, 5}, set.firstPerClass(50).classCounts());
        assertThrows(DatasetException.class, () -> set.firstPerClass(0));
        assertThrows(DatasetException.class, () -> set.firstPerClass(-3));
    }

    @Test
    void fractionIsStratifiedAndRoundsUp() {
        int[] labels = new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2};
        ImageSet set = TestImages.synthetic(labels, 2, 2, 3);
        ImageSet tenth = set.fraction(0.1);
        // ceil(0.1*10)=1, ceil(0.1*3)=1, ceil(0.1*1)=1
        assertArrayEquals(new int[] {1, 1, 1}, tenth.classCounts());
        ImageSet half = set.fraction(0.5);
        assertArrayEquals(new int[] {5, 2, 1}, half.classCounts());
        assertEquals(set.pixel(10, 0, 1, 2), half.pixel(5, 0, 1, 2), "first image of class 1 follows class 0's five");
        assertEquals(set.size(), set.fraction(1.0).size());
        for (double bad : new double[] {0, -0.5, 1.01, Double.NaN}) {
            assertThrows(DatasetException.class, () -> set.fraction(bad), "fraction " + bad);
        }
    }

    @Test
    void tooManyBytesForOneArrayIsAClearError() {
        DatasetException e = assertThrows(DatasetException.class, () -> ImageSet.pixelBytes(20_000, 224, 224));
        assertTrue(e.getMessage().contains("smaller image size"), e.getMessage());
    }
}
