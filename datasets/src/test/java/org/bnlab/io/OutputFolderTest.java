package org.bnlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {

    @TempDir
    Path tmp;

    @Test
    void anExistingOrCreatableFolderPassesAndNothingIsLeftBehind() throws IOException {
        Path out = tmp.resolve("a/b/out");
        OutputFolder.requireWritable(out);
        assertFalse(Files.exists(tmp.resolve("a")), "a missing folder is not created by the check");
        OutputFolder.requireWritable(tmp);
        try (Stream<Path> entries = Files.list(tmp)) {
            assertEquals(0, entries.count(), "the probe file is gone");
        }
    }

    @Test
    void aFileInTheWayIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("results"), "not a folder");
        UncheckedIOException same = assertThrows(UncheckedIOException.class, () -> OutputFolder.requireWritable(file));
        assertEquals("output folder " + file + " is not a folder", same.getMessage());

        Path below = file.resolve("bn/run");
        UncheckedIOException under = assertThrows(UncheckedIOException.class, () -> OutputFolder.requireWritable(below));
        assertEquals("output folder " + below + " cannot be created: " + file + " is not a folder", under.getMessage());
    }

    /** Root passes every permission check, so this case can only be shown as another user. */
    @Test
    void aReadOnlyFolderIsNamed() throws IOException {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> OutputFolder.requireWritable(readOnly));
            assertTrue(e.getMessage().startsWith("output folder " + readOnly + " is not writable: "), e.getMessage());
            Path below = readOnly.resolve("out");
            UncheckedIOException under = assertThrows(UncheckedIOException.class,
                    () -> OutputFolder.requireWritable(below));
            assertTrue(under.getMessage().startsWith("output folder " + below + " cannot be created: "),
                    under.getMessage());
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
