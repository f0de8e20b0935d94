package org.bnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataProblemsTest {

    @TempDir
    Path tmp;

    private static final BadImage EMPTY = new BadImage(Path.of("/d/train/dog/empty.jpg"), "is empty (0 bytes)");
    private static final BadImage HALF = new BadImage(Path.of("/d/test/cat/half.jpg"), "is truncated: its data stops");

    @Test
    void summaryCountsAndNamesTheFirst() {
        assertEquals("no bad image files", DataProblems.NONE.summary());
        assertEquals("skipped 1 bad image file (image /d/train/dog/empty.jpg is empty (0 bytes)); it is listed in "
                + "data-problems.txt", new DataProblems(List.of(EMPTY)).summary());
        assertEquals("skipped 2 bad image files (the first: image /d/train/dog/empty.jpg is empty (0 bytes)); all are "
                + "listed in data-problems.txt", new DataProblems(List.of(EMPTY, HALF)).summary());
    }

    @Test
    void plusKeepsTheOrder() {
        DataProblems train = new DataProblems(List.of(EMPTY));
        assertEquals(List.of(EMPTY, HALF), train.plus(new DataProblems(List.of(HALF))).skipped());
        assertSame(train, train.plus(DataProblems.NONE));
    }

    @Test
    void fileListsEveryPathAndReasonAndIsOnlyWrittenWhenSomethingWasSkipped() throws IOException {
        DataProblems.NONE.writeInto(tmp);
        assertFalse(Files.exists(tmp.resolve(DataProblems.FILE_NAME)));

        new DataProblems(List.of(EMPTY, HALF)).writeInto(tmp);
        assertEquals("""
                # 2 bad image files were left out of this data (path<TAB>reason)
                /d/train/dog/empty.jpg\tis empty (0 bytes)
                /d/test/cat/half.jpg\tis truncated: its data stops
                """, Files.readString(tmp.resolve("data-problems.txt")));
    }
}
