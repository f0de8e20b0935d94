package org.bnlab.backend;

/**
 * Puts the JVM in the state the fast CPU path needs, before any ND4J or DL4J class is loaded.
 *
 * <p>Two defects make Deeplearning4j 1.0.0-M2.1 about ten times slower on CPU than it should be:
 * <ol>
 *   <li>its layer helpers (oneDNN on CPU, cuDNN on GPU) are skipped unless the system property
 *       {@value #HELPERS_DISABLE_PROPERTY} is {@code false} (its default is {@code true});</li>
 *   <li>its oneDNN check looks for a class M2.1 renamed; the shim {@link org.nd4j.nativeblas.Nd4jCpu} fixes that.</li>
 * </ol>
 * It also asks JavaCPP for nd4j-native's oneDNN build ({@value #PLATFORM_EXTENSION_PROPERTY}), which the CPU profile
 * puts on the class path. A value the user set on the command line always wins: that is how a run opts out
 * ({@code -Dorg.eclipse.deeplearning4j.helpers.disable=true}) or picks another build.
 */
public final class BackendSetup {

    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    public static final String PLATFORM_EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String ONEDNN_EXTENSION = "-onednn-avx2";

    private BackendSetup() {
    }

    /** Call first thing in {@code main}, and in tests before the first ND4J call. Idempotent. */
    public static void configure() {
        setIfAbsent(HELPERS_DISABLE_PROPERTY, "false");
        if (onednnBuildOnClassPath()) {
            setIfAbsent(PLATFORM_EXTENSION_PROPERTY, ONEDNN_EXTENSION);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Whether the nd4j-native oneDNN build is present: asking JavaCPP for an extension whose libraries are
     * missing would make the backend fail to load, so on the CUDA profile (or a plain CPU jar) we ask for nothing.
     */
    static boolean onednnBuildOnClassPath() {
        String resource = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + ONEDNN_EXTENSION + "/";
        return BackendSetup.class.getClassLoader().getResource(resource) != null;
    }
}
