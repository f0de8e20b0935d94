package org.bnlab.data.download;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds small .tar.gz archives in memory, including malicious ones. */
final class TarGz {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarGz() throws IOException {
        tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    TarGz folder(String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"));
        tar.closeArchiveEntry();
        return this;
    }

    TarGz file(String name, String content) throws IOException {
        // preserveAbsolutePath: otherwise commons-compress would quietly strip a leading '/'
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
        return this;
    }

    TarGz symlink(String name, String pointsTo) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(pointsTo);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
        return this;
    }

    byte[] bytes() throws IOException {
        tar.close();
        return bytes.toByteArray();
    }
}
