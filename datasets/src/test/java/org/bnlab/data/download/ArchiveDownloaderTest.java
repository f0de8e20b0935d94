package org.bnlab.data.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bnlab.data.DatasetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveDownloaderTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private final ArchiveDownloader downloader = new ArchiveDownloader(false, Duration.ofSeconds(5));

    /** Serves {@code body} at /data.tar.gz (404 elsewhere) on 127.0.0.1 only, returns its URL. */
    private URI serve(byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/data.tar.gz")) {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data.tar.gz");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private static ArchiveSpec spec(URI url, byte[] archive) throws Exception {
        return new ArchiveSpec("test archive", url, archive.length, md5(archive), "top");
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] goodArchive() throws IOException {
        return new TarGz().folder("top").file("top/a.bin", "alpha").file("top/sub/b.txt", "beta").bytes();
    }

    @Test
    void downloadsVerifiesAndUnpacksIntoPlace() throws Exception {
        byte[] archive = goodArchive();
        Path root = tmp.resolve("data");
        Path top = downloader.fetch(spec(serve(archive), archive), root);
        assertEquals(root.resolve("top"), top);
        assertEquals("alpha", Files.readString(top.resolve("a.bin")));
        assertEquals("beta", Files.readString(top.resolve("sub/b.txt")));
        assertEquals(List.of("top"), listing(root), "no .part and no temporary folder left behind");

        // Present now: a second fetch does not touch the network.
        server.stop(0);
        server = null;
        assertEquals(top, downloader.fetch(spec(URI.create("http://127.0.0.1:9/gone.tar.gz"), archive), root));
    }

    @Test
    void wrongMd5IsRefusedBeforeUnpacking() throws Exception {
        byte[] archive = goodArchive();
        String wrong = "0123456789abcdef0123456789abcdef";
        ArchiveSpec spec = new ArchiveSpec("test archive", serve(archive), archive.length, wrong, "top");
        Path root = tmp.resolve("data");
        DatasetException e = assertThrows(DatasetException.class, () -> downloader.fetch(spec, root));
        assertTrue(e.getMessage().contains("expected " + wrong + ", got " + md5(archive)), e.getMessage());
        assertEquals(List.of(), listing(root), "nothing unpacked, no .part left");
    }

    @Test
    void wrongSizeIsRefusedBeforeUnpacking() throws Exception {
        byte[] archive = goodArchive();
        URI url = serve(archive);
        Path root = tmp.resolve("data");
        ArchiveSpec bigger = new ArchiveSpec("test archive", url, archive.length + 10, md5(archive), "top");
        DatasetException e = assertThrows(DatasetException.class, () -> downloader.fetch(bigger, root));
        assertTrue(e.getMessage().contains("expected " + (archive.length + 10) + " bytes, got " + archive.length),
                e.getMessage());
        assertEquals(List.of(), listing(root));

        ArchiveSpec smaller = new ArchiveSpec("test archive", url, archive.length - 10, md5(archive), "top");
        DatasetException more = assertThrows(DatasetException.class, () -> downloader.fetch(smaller, root));
        assertTrue(more.getMessage().contains("got more than"), more.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void entryEscapingTheFolderIsRefused() throws Exception {
        byte[] archive = new TarGz().folder("top").file("top/ok.txt", "fine").file("../evil", "gotcha").bytes();
        Path root = Files.createDirectories(tmp.resolve("nest/data"));
        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader.fetch(spec(serve(archive), archive), root));
        assertTrue(e.getMessage().contains("'../evil'") && e.getMessage().contains("outside"), e.getMessage());
        assertEquals(List.of(), listing(root), "no top folder, no temporary folder, no .part");
        assertFalse(Files.exists(tmp.resolve("nest/evil")));
        assertFalse(Files.exists(root.resolve("evil")));
    }

    @Test
    void sneakierEscapesAreRefusedToo() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("data"));
        byte[] dotted = new TarGz().file("top/sub/../../../evil", "x").bytes();
        assertThrows(DatasetException.class, () -> downloader.fetch(spec(serve(dotted), dotted), root));
        stopServer();
        Path absoluteTarget = tmp.resolve("absolute-evil");
        byte[] absolute = new TarGz().file(absoluteTarget.toString(), "x").bytes();
        DatasetException abs = assertThrows(DatasetException.class,
                () -> downloader.fetch(spec(serve(absolute), absolute), root));
        assertTrue(abs.getMessage().contains("absolute"), abs.getMessage());
        assertFalse(Files.exists(absoluteTarget));
        stopServer();
        byte[] link = new TarGz().folder("top").symlink("top/passwd", "/etc/passwd").bytes();
        DatasetException symlink = assertThrows(DatasetException.class,
                () -> downloader.fetch(spec(serve(link), link), root));
        assertTrue(symlink.getMessage().contains("link"), symlink.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void archiveWithoutTheExpectedFolderIsRefused() throws Exception {
        byte[] archive = new TarGz().file("other/a.txt", "a").bytes();
        Path root = tmp.resolve("data");
        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader.fetch(spec(serve(archive), archive), root));
        assertTrue(e.getMessage().contains("does not contain the folder top"), e.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void unreachableServerSaysWhereToPutTheFiles() throws Exception {
        byte[] archive = goodArchive();
        URI url = serve(archive);
        stopServer(); // the port is closed now: connection refused
        server = null;
        Path root = tmp.resolve("data");
        DatasetException e = assertThrows(DatasetException.class, () -> downloader.fetch(spec(url, archive), root));
        assertTrue(e.getMessage().startsWith("could not download test archive from " + url), e.getMessage());
        assertTrue(e.getMessage().contains("by hand") && e.getMessage().contains(root.resolve("top").toString()),
                e.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void httpErrorIsANetworkFailure() throws Exception {
        byte[] archive = goodArchive();
        URI missing = serve(archive).resolve("/missing.tar.gz");
        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader.fetch(spec(missing, archive), tmp.resolve("data")));
        assertTrue(e.getMessage().contains("HTTP status 404"), e.getMessage());
    }

    @Test
    void officialSpecsMatchThePublishedNumbers() {
        assertEquals("cifar-10-binary.tar.gz", ArchiveSpec.CIFAR10.fileName());
        assertEquals(170_052_171L, ArchiveSpec.CIFAR10.size());
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", ArchiveSpec.CIFAR10.md5());
        assertEquals("cifar-10-batches-bin", ArchiveSpec.CIFAR10.topFolder());
        assertEquals("cifar-100-binary.tar.gz", ArchiveSpec.CIFAR100.fileName());
        assertEquals(168_513_733L, ArchiveSpec.CIFAR100.size());
        assertEquals("03b5dce01913d631647c71ecec9e9cb8", ArchiveSpec.CIFAR100.md5());
        assertEquals("cifar-100-binary", ArchiveSpec.CIFAR100.topFolder());
        assertThrows(DatasetException.class, () -> ArchiveSpec.CIFAR10.withUrl(URI.create("http://x/y"))
                .equals(new ArchiveSpec("x", URI.create("http://x/y"), 1, "nothex", "top")));
    }
}
