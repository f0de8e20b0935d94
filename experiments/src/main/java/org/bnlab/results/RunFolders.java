package org.bnlab.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds a run's folder in a results folder. A folder is named {@code <label>_<hash>} (or just {@code <hash>}), and a
 * run keeps its folder when a later expansion gives it another label, or when its hash changed only because a key
 * left its identity; so the name alone does not always say which folder holds a run, and the folder's own records
 * ({@code config.json}, {@code run.json}, read through {@link Records}) decide.
 */
public final class RunFolders {

    /**
     * What a candidate folder's own files say about the run it holds; read by the layer that writes them (the
     * specification's {@code config.json} and the plan's {@code run.json}), which this package does not know.
     */
    public interface Records {
        /**
         * The hash of the run {@code folder} holds, for a run that starts from the run of {@code sourceHash} (null
         * for one that starts freshly initialised).
         *
         * @throws RuntimeException when the folder's {@code config.json} is absent, unreadable or of an older schema
         */
        String hash(RunFolder folder, String sourceHash);

        /**
         * The folder name of the run that {@code folder}'s run starts from, as its {@code run.json} records it; null
         * when it records none.
         *
         * @throws RuntimeException when the record is unreadable
         */
        String sourceFolder(RunFolder folder);
    }

    private final Path outDir;
    private final Records records;

    /** The run folders under {@code outDir}, told apart by {@code records}. */
    public RunFolders(Path outDir, Records records) {
        this.outDir = outDir;
        this.records = records;
    }

    /** The folder of the run with this id and hash that starts freshly initialised, or whose source is not known. */
    public RunFolder find(String id, String hash) {
        return find(id, hash, null, null);
    }

    /**
     * The folder of a run: {@code outDir/id} when it exists; else an existing folder of the same hash under another
     * label (a run reused by a later expansion); else a folder of the same label that holds the same run by its
     * {@code config.json} and, for a run that starts from another, whose {@code run.json} names the same source folder
     * (a folder named before the report-only settings left the hash); else {@code outDir/id}, which may not exist yet.
     *
     * @param sourceId   the id of the run it starts from, or null (freshly initialised, or not known)
     * @param sourceHash that run's hash, or null with {@code sourceId}
     * @throws UncheckedIOException when {@code outDir} cannot be listed
     */
    public RunFolder find(String id, String hash, String sourceId, String sourceHash) {
        Path exact = outDir.resolve(id);
        if (Files.isDirectory(exact) || !Files.isDirectory(outDir)) {
            return RunFolder.at(exact);
        }
        String label = id.equals(hash) ? "" : id.endsWith("_" + hash)
                ? id.substring(0, id.length() - hash.length() - 1) : null;
        List<Path> sameLabel = new ArrayList<>();
        try (Stream<Path> entries = Files.list(outDir)) {
            for (Path p : (Iterable<Path>) entries.filter(Files::isDirectory).sorted()::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith("_" + hash) || name.equals(hash)) {
                    return RunFolder.at(p);
                }
                if (label != null && name.matches("(.*_)?[0-9a-f]{8}") && name.startsWith(label)) {
                    sameLabel.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path candidate : sameLabel) {
            if (holdsRun(RunFolder.at(candidate), hash, sourceId, sourceHash)) {
                return RunFolder.at(candidate);
            }
        }
        return RunFolder.at(exact);
    }

    /** Whether {@code folder} holds the run of this hash and source, by its {@code config.json} and {@code run.json}. */
    private boolean holdsRun(RunFolder folder, String hash, String sourceId, String sourceHash) {
        String own;
        try {
            if (!Files.isRegularFile(folder.configFile())) {
                return false;
            }
            own = records.hash(folder, sourceId == null ? null : sourceHash);
        } catch (RuntimeException e) {
            return false; // unreadable or written by an older bnlab: not known to be this run
        }
        if (!own.equals(hash)) {
            return false;
        }
        if (sourceId == null) {
            return true;
        }
        try {
            String recorded = records.sourceFolder(folder);
            return recorded != null && recorded.equals(find(sourceId, sourceHash).name());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Creates {@code dir} (a results folder) and its parents when missing.
     *
     * @throws IllegalArgumentException naming the folder when it cannot be created
     */
    public static void create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the results folder " + dir + ": " + e.getMessage());
        }
    }
}
