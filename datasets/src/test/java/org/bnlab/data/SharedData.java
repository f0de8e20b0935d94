package org.bnlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the real datasets beside the repository ({@code ../shared/datasets}) for the tests that
 * use them; those tests skip themselves where the folder is absent.
 */
public final class SharedData {

    private SharedData() {
    }

    /** {@code <shared>/datasets/<name>} if it exists; shared comes from {@code -Dbnlab.shared.dir}, else ../shared or ../../shared. */
    public static Optional<Path> dataset(String name) {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("bnlab.shared.dir");
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        candidates.add(Path.of("..", "shared"));
        candidates.add(Path.of("..", "..", "shared"));
        return candidates.stream()
                .map(shared -> shared.resolve("datasets").resolve(name))
                .filter(Files::isDirectory)
                .map(Path::normalize)
                .findFirst();
    }
}
