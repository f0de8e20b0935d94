package org.bnlab.data.download;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.bnlab.data.DatasetException;

/**
 * A published {@code .tar.gz} archive: where it is, how big it must be, its MD5, and the folder it
 * unpacks to. Size and MD5 are checked before anything is unpacked.
 *
 * @param name      a human name for messages, e.g. {@code CIFAR-10 binary}
 * @param url       where to download it from
 * @param size      its exact size in bytes
 * @param md5       its MD5, 32 hex digits
 * @param topFolder the single folder at the top of the archive, e.g. {@code cifar-10-batches-bin}
 */
public record ArchiveSpec(String name, URI url, long size, String md5, String topFolder) {

    /** The official CIFAR-10 binary release (https://www.cs.toronto.edu/~kriz/cifar.html). */
    public static final ArchiveSpec CIFAR10 = new ArchiveSpec("CIFAR-10 binary",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
            170_052_171L, "c32a1d4ab5d03f1284b67883e8d87530", "cifar-10-batches-bin");

    /** The official CIFAR-100 binary release. */
    public static final ArchiveSpec CIFAR100 = new ArchiveSpec("CIFAR-100 binary",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"),
            168_513_733L, "03b5dce01913d631647c71ecec9e9cb8", "cifar-100-binary");

    public ArchiveSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(topFolder, "topFolder");
        md5 = md5.toLowerCase(Locale.ROOT);
        if (!md5.matches("[0-9a-f]{32}")) {
            throw new DatasetException("MD5 of " + name + " must be 32 hex digits, got '" + md5 + "'");
        }
        if (size <= 0) {
            throw new DatasetException("size of " + name + " must be positive, got " + size);
        }
        if (topFolder.isEmpty() || topFolder.contains("/") || topFolder.contains("\\") || topFolder.startsWith(".")) {
            throw new DatasetException("top folder of " + name + " must be a plain folder name, got '" + topFolder + "'");
        }
    }

    /** The archive's file name, the last segment of its URL path. */
    public String fileName() {
        String path = url.getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? topFolder + ".tar.gz" : last;
    }

    /** The same archive served from somewhere else, e.g. a mirror (or a test server). */
    public ArchiveSpec withUrl(URI otherUrl) {
        return new ArchiveSpec(name, otherUrl, size, md5, topFolder);
    }
}
