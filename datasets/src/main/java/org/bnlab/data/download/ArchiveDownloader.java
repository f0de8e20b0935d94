package org.bnlab.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.bnlab.data.DatasetException;
import org.bnlab.io.AtomicFiles;

/**
 * Downloads a dataset archive, verifies it, and unpacks it so that a half-finished folder never
 * looks complete.
 *
 * <ol>
 *   <li>The archive is downloaded to {@code <root>/<file>.part}, with a progress bar on stderr.</li>
 *   <li>Its size and MD5 are checked against the {@link ArchiveSpec} <em>before</em> anything is
 *       unpacked; on a mismatch the {@code .part} file is deleted.</li>
 *   <li>It is unpacked into a temporary folder inside {@code root} (see {@link SafeTarGzExtractor}
 *       for what is refused), and only then is the top folder renamed into place in one step.</li>
 *   <li>The archive is deleted: the unpacked folder is what is used.</li>
 * </ol>
 * A download that fails for network reasons ends in a DatasetException that says where to put the
 * files by hand. Two processes should not download the same archive into the same root at once.
 */
public final class ArchiveDownloader {

    private static final int MIB = 1 << 20;

    private final boolean showProgress;
    private final Duration connectTimeout;

    /** Shows progress on stderr; gives up connecting after 30 seconds. */
    public ArchiveDownloader() {
        this(true, Duration.ofSeconds(30));
    }

    public ArchiveDownloader(boolean showProgress, Duration connectTimeout) {
        this.showProgress = showProgress;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Makes sure {@code <root>/<spec.topFolder()>} exists, downloading and unpacking the archive if
     * it does not, and returns that folder.
     */
    public Path fetch(ArchiveSpec spec, Path root) {
        Path target = root.resolve(spec.topFolder());
        if (Files.isDirectory(target)) {
            return target;
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new DatasetException("cannot create data folder " + root + ": " + e.getMessage(), e);
        }
        Path part = root.resolve(spec.fileName() + ".part");
        try {
            download(spec, part, root);
            verify(spec, part);
            unpack(spec, part, root, target);
        } finally {
            deleteQuietly(part);
        }
        return target;
    }

    private void download(ArchiveSpec spec, Path part, Path root) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(spec.url()).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP status " + response.statusCode());
                }
                copyAtMost(spec, body, part);
            }
        } catch (IOException e) {
            throw networkFailure(spec, root, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw networkFailure(spec, root, "interrupted", e);
        }
    }

    /** Copies the body to {@code part}, stopping one byte past the expected size: a wrong server cannot fill the disk. */
    private void copyAtMost(ArchiveSpec spec, InputStream body, Path part) throws IOException {
        long limit = spec.size() + 1;
        try (OutputStream out = Files.newOutputStream(part);
             ProgressBar progress = showProgress ? progressBar(spec) : null) {
            byte[] buffer = new byte[64 * 1024];
            long copied = 0;
            int n;
            while (copied < limit && (n = body.read(buffer, 0, (int) Math.min(buffer.length, limit - copied))) >= 0) {
                out.write(buffer, 0, n);
                copied += n;
                if (progress != null) {
                    progress.stepTo(copied);
                }
            }
        }
    }

    private static ProgressBar progressBar(ArchiveSpec spec) {
        return new ProgressBarBuilder()
                .setTaskName("Downloading " + spec.fileName())
                .setInitialMax(spec.size())
                .setUnit("MiB", MIB)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    private static DatasetException networkFailure(ArchiveSpec spec, Path root, String reason, Exception cause) {
        return new DatasetException("could not download " + spec.name() + " from " + spec.url() + " (" + reason
                + "); without network access, download " + spec.fileName() + " by hand (" + spec.size()
                + " bytes, MD5 " + spec.md5() + ") and unpack it in " + root + " so that "
                + root.resolve(spec.topFolder()) + " exists", cause);
    }

    /** Size first (cheap, and catches truncated downloads), then MD5. */
    static void verify(ArchiveSpec spec, Path part) {
        try {
            long size = Files.size(part);
            if (size != spec.size()) {
                throw new DatasetException("downloaded " + spec.name() + " has the wrong size: expected " + spec.size()
                        + " bytes, got " + (size > spec.size() ? "more than " + spec.size() : String.valueOf(size))
                        + " (from " + spec.url() + ")");
            }
            String md5 = md5(part);
            if (!md5.equals(spec.md5())) {
                throw new DatasetException("downloaded " + spec.name() + " has the wrong MD5: expected " + spec.md5()
                        + ", got " + md5 + " (from " + spec.url() + ")");
            }
        } catch (IOException e) {
            throw new DatasetException("cannot check downloaded file " + part + ": " + e.getMessage(), e);
        }
    }

    static String md5(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Unpacks beside the target, then renames the finished folder into place in one step. */
    private static void unpack(ArchiveSpec spec, Path archive, Path root, Path target) {
        Path staging;
        try {
            // Inside root, so the final rename stays on one file system and can be atomic.
            staging = Files.createTempDirectory(root, "." + spec.topFolder() + ".unpacking-");
        } catch (IOException e) {
            throw new DatasetException("cannot create a temporary folder in " + root + ": " + e.getMessage(), e);
        }
        try {
            SafeTarGzExtractor.extract(archive, staging);
            Path unpacked = staging.resolve(spec.topFolder());
            if (!Files.isDirectory(unpacked)) {
                throw new DatasetException("archive " + spec.fileName() + " from " + spec.url()
                        + " does not contain the folder " + spec.topFolder());
            }
            AtomicFiles.moveIntoPlace(unpacked, target);
        } catch (IOException e) {
            if (Files.isDirectory(target)) {
                return; // another process finished the same download first; its copy is as good
            }
            throw new DatasetException("cannot move unpacked " + spec.topFolder() + " into " + root + ": "
                    + e.getMessage(), e);
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(ArchiveDownloader::deleteQuietly);
        } catch (IOException e) {
            // best effort: a leftover hidden temporary folder is harmless and never mistaken for data
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort, see deleteRecursively
        }
    }
}
