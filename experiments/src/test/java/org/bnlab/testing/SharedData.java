package org.bnlab.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real datasets beside the project ({@code ../shared/datasets}); tests that need them are skipped without. */
public final class SharedData {

    private SharedData() {
    }

    public static Path datasets() {
        String configured = System.getProperty("bnlab.shared.dir");
        for (String candidate : new String[]{configured, "../shared", "../../shared"}) {
            if (candidate != null && Files.isDirectory(Path.of(candidate, "datasets", "cifar-10-jpeg"))) {
                return Path.of(candidate, "datasets").toAbsolutePath().normalize();
            }
        }
        Assumptions.abort("../shared/datasets/cifar-10-jpeg is not there");
        return null;
    }
}
