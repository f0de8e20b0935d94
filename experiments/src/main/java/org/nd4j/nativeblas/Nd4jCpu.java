package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for a defect in Deeplearning4j 1.0.0-M2.1.
 *
 * <p>DL4J decides whether its oneDNN layer helpers may run ({@code BaseMKLDNNHelper.mklDnnEnabled()}) by
 * loading {@code org.nd4j.nativeblas.Nd4jCpu$Environment} reflectively and calling {@code isUseMKLDNN()}.
 * M2.1 moved that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the
 * method {@code isUseONEDNN()}, so the lookup fails and every helper is silently switched off. This class
 * restores the old name and forwards to the new one.
 *
 * <p>It forwards reflectively so that it also loads on the CUDA backend, where the CPU bindings are absent:
 * there it answers {@code false}, which is what DL4J's check would have concluded anyway.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The renamed class DL4J's check really means. */
    static final String MOVED_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** The name DL4J M2.1 still calls; answers whether the native library was built with, and uses, oneDNN. */
        public boolean isUseMKLDNN() {
            try {
                Class<?> moved = Class.forName(MOVED_ENVIRONMENT);
                Object environment = moved.getMethod("getInstance").invoke(null);
                Method isUseOneDnn = moved.getMethod("isUseONEDNN");
                return (Boolean) isUseOneDnn.invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
