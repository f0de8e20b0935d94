package org.bnlab.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's root folder (the one holding {@code experiments/bn-vs-nobn.yaml}), found from the working directory
 * (surefire runs in {@code experiments/}), and the {@code bnlab.home} system property that makes the command line look
 * up experiment names there, as {@code scripts/bnlab} does.
 */
public final class Home {

    private Home() {
    }

    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("experiments").resolve("bn-vs-nobn.yaml"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root with experiments/bn-vs-nobn.yaml above "
                + Path.of("").toAbsolutePath());
    }

    /** {@code experiments/bn-vs-nobn.yaml}, the default experiment. */
    public static Path defaultExperiment() {
        return root().resolve("experiments").resolve("bn-vs-nobn.yaml");
    }

    /** Sets {@code bnlab.home} to the project root (idempotent) and returns the root. */
    public static Path install() {
        Path root = root();
        System.setProperty("bnlab.home", root.toString());
        return root;
    }
}
