package org.bnlab.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The check that an output folder can take files, made before any slow work (loading data, training) so that a
 * mistyped or read-only {@code --out} ends the command at once instead of after every run has failed on it.
 */
public final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Checks that {@code folder} is a folder files can be written in, or that it can be created: a temporary file
     * is created and deleted in it, or, if it does not exist yet, in its nearest existing parent (creating a
     * sub-folder there needs the same right). Nothing is created or left behind, so a command that stops later
     * for another reason (bad data) leaves no trace. Writing a file is the only reliable test: permission bits
     * say nothing about read-only mounts or ACLs, and {@code root} passes every permission check.
     *
     * @throws UncheckedIOException with a one-line message naming {@code folder} when it, or the parent it would be
     *                              created in, is not a folder, or no file can be written there
     */
    public static void requireWritable(Path folder) {
        Path existing = folder.toAbsolutePath().normalize();
        while (!Files.exists(existing)) {
            existing = existing.getParent(); // the root always exists
        }
        boolean exists = existing.equals(folder.toAbsolutePath().normalize());
        if (!Files.isDirectory(existing)) {
            String message = "output folder " + folder + (exists ? " is not a folder" : " cannot be created: "
                    + existing + " is not a folder");
            throw new UncheckedIOException(message, new NotDirectoryException(existing.toString()));
        }
        try {
            Files.delete(Files.createTempFile(existing, ".bnlab-write-test", ".tmp"));
        } catch (IOException e) {
            String what = exists ? " is not writable: " : " cannot be created: " + existing + " is not writable: ";
            throw new UncheckedIOException("output folder " + folder + what + reason(e), e);
        }
    }

    /** E.g. {@code permission denied} or {@code Read-only file system}; NIO's own messages name only the file. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException refused && refused.getReason() != null) {
            return refused.getReason();
        }
        return e.getClass().getSimpleName();
    }
}
