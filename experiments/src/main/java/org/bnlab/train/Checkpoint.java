package org.bnlab.train;

import org.bnlab.io.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A run's state at the end of an epoch: the network with its updater state (momentum), BN running statistics, its
 * iteration and epoch counters (which drive the learning-rate schedule), plus the trainer's own state. Written
 * atomically, so an interrupted run resumes from its last finished epoch and continues exactly as if it had not
 * stopped (the data order depends only on seed and epoch).
 *
 * @param net       the network; its configuration's epoch count is the number of finished epochs
 * @param firstLoss the run's first batch loss, the divergence guard's reference
 */
public record Checkpoint(ComputationGraph net, double firstLoss) {

    private static final String FIRST_LOSS_ENTRY = "bnlab-first-loss";

    int epochsDone() {
        return net.getConfiguration().getEpochCount();
    }

    static void save(ComputationGraph net, double firstLoss, Path file) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            AtomicFiles.makeReadableByAll(tmp);
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), FIRST_LOSS_ENTRY, Double.toString(firstLoss));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            AtomicFiles.moveIntoPlace(tmp, file);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the previous checkpoint is untouched; a stray temporary file is harmless
                }
            }
        }
    }

    /**
     * The epochs finished in the checkpoint at {@code file}, read from its configuration alone (cheap: the weights
     * are not loaded); empty when there is no checkpoint.
     *
     * @throws UncheckedIOException if the file is not a readable checkpoint
     */
    public static java.util.OptionalInt epochsDone(Path file) {
        if (!Files.isRegularFile(file)) {
            return java.util.OptionalInt.empty();
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            java.util.zip.ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new IOException("no configuration.json in it");
            }
            com.fasterxml.jackson.databind.JsonNode count = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(zip.getInputStream(entry)).get("epochCount");
            if (count == null || !count.canConvertToInt()) {
                throw new IOException("no epochCount in its configuration");
            }
            return java.util.OptionalInt.of(count.asInt());
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("unreadable checkpoint " + file + " (" + e.getMessage()
                    + "); delete it to restart that run from scratch", e));
        }
    }

    static Optional<Checkpoint> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ComputationGraph net = ModelSerializer.restoreComputationGraph(file.toFile(), true);
            String firstLoss = ModelSerializer.getObjectFromFile(file.toFile(), FIRST_LOSS_ENTRY);
            return Optional.of(new Checkpoint(net, Double.parseDouble(firstLoss)));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("unreadable checkpoint " + file + " (" + e.getMessage()
                    + "); delete it to restart that run from scratch", e));
        }
    }
}
