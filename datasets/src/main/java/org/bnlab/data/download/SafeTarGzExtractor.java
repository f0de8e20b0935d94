package org.bnlab.data.download;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.bnlab.data.DatasetException;

/**
 * Unpacks a {@code .tar.gz} into a folder, refusing any entry that could write elsewhere.
 *
 * <p>Refused: absolute names, names whose normalised path leaves the target folder ("zip slip",
 * e.g. {@code ../evil}), and all links and special files. Links are refused outright rather than
 * checked, because a link that points inside can still be combined with a later entry that
 * writes through it to the outside; the datasets we unpack contain none.
 */
final class SafeTarGzExtractor {

    private SafeTarGzExtractor() {
    }

    /** Unpacks {@code archive} into {@code target} (which must exist); on a refusal, stops with a DatasetException. */
    static void extract(Path archive, Path target) {
        Path root = target.toAbsolutePath().normalize();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             GzipCompressorInputStream gzip = new GzipCompressorInputStream(file);
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path destination = checkedDestination(archive, root, entry);
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot unpack " + archive + ": " + e.getMessage(), e);
        }
    }

    private static Path checkedDestination(Path archive, Path root, TarArchiveEntry entry) throws IOException {
        String name = entry.getName();
        if (entry.isSymbolicLink() || entry.isLink()) {
            throw new DatasetException("refusing to unpack " + archive + ": entry '" + name + "' is a link (to '"
                    + entry.getLinkName() + "'), links are not unpacked");
        }
        if (!entry.isDirectory() && !entry.isFile()) {
            throw new DatasetException("refusing to unpack " + archive + ": entry '" + name
                    + "' is neither a file nor a folder");
        }
        if (name.startsWith("/") || name.startsWith("\\") || Path.of(name).isAbsolute()) {
            throw new DatasetException("refusing to unpack " + archive + ": entry '" + name + "' has an absolute path");
        }
        Path destination;
        try {
            destination = entry.resolveIn(root).toAbsolutePath().normalize(); // commons-compress's zip-slip check
        } catch (IOException escape) {
            destination = null;
        }
        if (destination == null || !destination.startsWith(root) || destination.equals(root) && !entry.isDirectory()) {
            throw new DatasetException("refusing to unpack " + archive + ": entry '" + name
                    + "' would be written outside " + root);
        }
        return destination;
    }
}
