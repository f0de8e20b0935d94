package org.bnlab.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bnlab.data.ImageSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class folders and files with non-ASCII names. Java 17 decodes file names with the locale's encoding, so they
 * read only under a UTF-8 locale (which the build gives the test JVM and scripts/bnlab gives the command line);
 * under {@code LC_ALL=C} the read stops with one line naming the folder instead of a JDK error about "caf??".
 */
class NonAsciiNamesTest {

    @TempDir
    Path root;

    @BeforeEach
    void writeTree() {
        BufferedImage image = ImageFiles.solid(8, 8, 0x336699, BufferedImage.TYPE_INT_RGB);
        ImageFiles.write(root.resolve("train/café/été 00.jpg"), ImageFiles.jpeg(image));
        ImageFiles.write(root.resolve("train/café/plain.png"), ImageFiles.png(image));
        ImageFiles.write(root.resolve("train/東京 画像/写真 1.png"), ImageFiles.png(image));
    }

    @Test
    void namesReadExactlyUnderUtf8() {
        assertEquals("UTF-8", System.getProperty("sun.jnu.encoding"),
                "the test JVM must run under a UTF-8 locale (the root pom sets LC_ALL for surefire)");
        ImageSet set = ImageFolder.read(root, "train", 8);
        assertEquals(List.of("café", "東京 画像"), set.classNames());
        assertEquals(3, set.size());
    }

    @Test
    void underTheCLocaleTheFolderIsNamed() throws Exception {
        Child child = runUnder("C");
        assertEquals(2, child.status(), child.output());
        assertEquals("error: folder " + root.resolve("train") + " holds an entry whose name cannot be read in this "
                + "JVM's file-name encoding ANSI_X3.4-1968 (it reads as \"caf??\"); run Java under a UTF-8 locale, "
                + "e.g. LC_ALL=C.UTF-8", child.output().strip());
    }

    /** The same child under C.UTF-8 reads the tree: the failure above is the locale's, not the program's. */
    @Test
    void theSameChildReadsTheTreeUnderCUtf8() throws Exception {
        Child child = runUnder("C.UTF-8");
        assertEquals(0, child.status(), child.output());
        assertEquals("3 images in classes [café, 東京 画像]", child.output().strip());
    }

    private record Child(int status, String output) {
    }

    /** Runs {@link ReadImageFolder} on the tree in a new JVM with {@code LC_ALL=locale} (which overrides LANG). */
    private Child runUnder(String locale) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ReadImageFolder.class.getName(), root.toString()).redirectErrorStream(true);
        builder.environment().put("LC_ALL", locale);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        return new Child(process.exitValue(), output);
    }
}
