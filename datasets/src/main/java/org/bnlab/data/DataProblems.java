package org.bnlab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bnlab.io.AtomicFiles;

/**
 * The image files a dataset was read without, because they were bad and {@link BadImagePolicy#SKIP} was asked
 * for. A run trained on such data must say so: {@link #summary()} is the console line, {@link #writeInto(Path)}
 * leaves the full list in a run's records as {@value #FILE_NAME}.
 *
 * @param skipped the bad files in reading order (train split before test split, classes and files sorted)
 */
public record DataProblems(List<BadImage> skipped) {

    /** Nothing was skipped. */
    public static final DataProblems NONE = new DataProblems(List.of());
    /** Name of the file {@link #writeInto(Path)} writes. */
    public static final String FILE_NAME = "data-problems.txt";

    public DataProblems {
        skipped = List.copyOf(Objects.requireNonNull(skipped, "skipped"));
    }

    public boolean isEmpty() {
        return skipped.isEmpty();
    }

    /** How many image files were left out. */
    public int count() {
        return skipped.size();
    }

    /** These problems followed by {@code later}'s. */
    public DataProblems plus(DataProblems later) {
        if (later.isEmpty()) {
            return this;
        }
        List<BadImage> all = new ArrayList<>(skipped);
        all.addAll(later.skipped());
        return new DataProblems(all);
    }

    /**
     * One line for the console, e.g. {@code skipped 2 bad image files (the first: image /d/train/dog/e.jpg is
     * empty (0 bytes)); all are listed in data-problems.txt}; {@code no bad image files} when there are none.
     */
    public String summary() {
        if (isEmpty()) {
            return "no bad image files";
        }
        String first = skipped.get(0).describe();
        return count() == 1
                ? "skipped 1 bad image file (" + first + "); it is listed in " + FILE_NAME
                : "skipped " + count() + " bad image files (the first: " + first + "); all are listed in " + FILE_NAME;
    }

    /** The content of {@value #FILE_NAME}: a comment line, then one line per file: its path, a tab, the reason. */
    public String text() {
        StringBuilder text = new StringBuilder("# " + count() + " bad image file" + (count() == 1 ? " was" : "s were")
                + " left out of this data (path<TAB>reason)\n");
        for (BadImage bad : skipped) {
            text.append(bad.file()).append('\t').append(bad.reason()).append('\n');
        }
        return text.toString();
    }

    /**
     * Writes {@link #text()} to {@code folder/}{@value #FILE_NAME} (atomically) when anything was skipped; does
     * nothing otherwise, so that clean data leaves no such file.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public void writeInto(Path folder) {
        if (!isEmpty()) {
            AtomicFiles.writeString(folder.resolve(FILE_NAME), text());
        }
    }
}
