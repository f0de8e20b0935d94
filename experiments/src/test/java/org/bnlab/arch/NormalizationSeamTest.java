package org.bnlab.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Code outside the normalizers' own files asks {@code org.bnlab.norm.Normalizers} which layers are normalization
 * layers, never their classes: otherwise a new normalizer's layers would silently be treated as other layers (its
 * gamma and beta decayed as weights, its runs labelled as without normalization).
 */
class NormalizationSeamTest {

    /** A test of a layer configuration's class against BN's (DL4J's, the oneDNN kernel's, the decayed one). */
    static final Pattern CLASS_TEST = Pattern.compile(
            "instanceof\\s+(?:[\\w.]+\\.)?(?:Dnnl|Decayed)?BatchNormalization\\b"
                    + "|\\b(?:Dnnl|Decayed)?BatchNormalization\\.class\\b");

    /** The normalizers' own files: the package, and the BN kernel layer's configuration and implementation. */
    private static final Set<String> OWN = Set.of("org/bnlab/kernels/DnnlBatchNormalization.java",
            "org/bnlab/kernels/DnnlBatchNorm.java");

    @Test
    void noCodeOutsideTheNormalizersTestsForBatchNormByClass() throws IOException {
        Path main = PackageCyclesTest.repositoryRoot().resolve("experiments/src/main/java");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> {
                String file = main.relativize(p).toString().replace('\\', '/');
                if (file.startsWith("org/bnlab/norm/") || OWN.contains(file)) {
                    return;
                }
                try {
                    Matcher m = CLASS_TEST.matcher(Files.readString(p));
                    while (m.find()) {
                        found.add(file + ": " + m.group());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertTrue(found.isEmpty(), "ask Normalizers (owning, isNormalization, statisticsOf) instead:\n"
                + String.join("\n", found));
    }

    @Test
    void thePatternFindsEachFormOfTheTest() {
        List<String> hits = new ArrayList<>();
        Matcher m = CLASS_TEST.matcher("if (l instanceof BatchNormalization bn) {} "
                + "l.getClass() == BatchNormalization.class; x instanceof DnnlBatchNormalization; "
                + "y instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization; z instanceof BatchNormalizationX;"
                + " w instanceof DnnlBatchNorm;");
        while (m.find()) {
            hits.add(m.group());
        }
        assertEquals(4, hits.size(), hits.toString());
    }
}
