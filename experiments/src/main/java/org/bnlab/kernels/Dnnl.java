package org.bnlab.kernels;

import org.bytedeco.dnnl.engine;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * oneDNN plumbing shared by the kernels: whether oneDNN's own primitives (JavaCPP presets {@code org.bytedeco:dnnl})
 * can run here, the CPU engine, one stream per thread, memory objects over ND4J buffers, and a record of the
 * implementation oneDNN chose for every primitive we created.
 *
 * <p>oneDNN is used only when ND4J runs its CPU backend, the presets load, and the system property
 * {@value #DISABLE_PROPERTY} is not {@code true}; otherwise every kernel layer falls back to the DL4J layer it
 * extends (libnd4j or, on CUDA, cuDNN).
 */
public final class Dnnl {

    /** Set to {@code true} to make every kernel layer run the plain DL4J code path. */
    public static final String DISABLE_PROPERTY = "bnlab.kernels.disable";

    private static final Logger log = LoggerFactory.getLogger(Dnnl.class);

    private static volatile Boolean available;
    private static volatile String unavailableReason;
    private static engine engine;
    private static final ThreadLocal<stream> STREAMS = new ThreadLocal<>();
    /** "primitive kind + shape key" -> implementation name, in creation order. */
    private static final Map<String, String> IMPLEMENTATIONS = Collections.synchronizedMap(new LinkedHashMap<>());
    private static final Map<String, Boolean> LOGGED = new ConcurrentHashMap<>();

    private Dnnl() {
    }

    /** Whether the kernels can run on oneDNN in this JVM (decided once, on first call). */
    public static boolean isAvailable() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return false;
        }
        Boolean a = available;
        if (a == null) {
            synchronized (Dnnl.class) {
                if (available == null) {
                    available = probe();
                }
                a = available;
            }
        }
        return a;
    }

    /** Why {@link #isAvailable()} is false, or null. */
    public static String unavailableReason() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return DISABLE_PROPERTY + "=true";
        }
        isAvailable();
        return unavailableReason;
    }

    private static boolean probe() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (backend == null || !backend.equalsIgnoreCase("CPU")) {
            unavailableReason = "ND4J backend is " + backend + ", not CPU";
            log.info("oneDNN kernels off: {}", unavailableReason);
            return false;
        }
        try {
            engine = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
            new stream(engine).close();
            log.info("oneDNN kernels on (oneDNN presets {})", version());
            return true;
        } catch (Throwable t) {
            unavailableReason = "oneDNN presets do not load: " + t;
            log.warn("oneDNN kernels off: {}", unavailableReason);
            return false;
        }
    }

    private static String version() {
        try {
            org.bytedeco.dnnl.dnnl_version_t v = org.bytedeco.dnnl.global.dnnl.dnnl_version();
            return v.major() + "." + v.minor() + "." + v.patch();
        } catch (Throwable t) {
            return "?";
        }
    }

    static engine engine() {
        if (!isAvailable()) {
            throw new IllegalStateException("oneDNN not available: " + unavailableReason());
        }
        return engine;
    }

    /** This thread's stream (created on first use, lives as long as the thread). */
    static stream stream() {
        stream s = STREAMS.get();
        if (s == null) {
            s = new stream(engine());
            STREAMS.set(s);
        }
        return s;
    }

    /** A plain f32 memory descriptor. */
    static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /** A memory object of the given descriptor with no buffer yet; bind one with {@link #bind}. */
    static memory unbound(memory.desc desc) {
        return new memory(desc, engine(), new org.bytedeco.javacpp.Pointer());
    }

    /** Points {@code m} at the buffer of {@code array}, which must be dense ('c' order, default strides). */
    static void bind(memory m, INDArray array) {
        m.set_data_handle(array.data().addressPointer());
    }

    /**
     * Whether oneDNN can read {@code a} as a plain row-major f32 tensor of its shape: its strides are the row-major
     * ones (ignoring size-1 dimensions). The ordering flag does not matter then (DL4J's [C] parameter views are 'f').
     */
    public static boolean isDense(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Copies the elements of a dense f32 array ({@link #isDense}) into {@code out} (its length many). */
    static void read(INDArray dense, float[] out) {
        new FloatPointer(dense.data().addressPointer()).get(out, 0, out.length);
    }

    /** Copies {@code in} into the elements of a dense f32 array ({@link #isDense}), which must have as many. */
    static void write(float[] in, INDArray dense) {
        new FloatPointer(dense.data().addressPointer()).put(in, 0, in.length);
    }

    /** {@code a} itself when dense, else a dense copy (in the current workspace, if any). */
    static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** Records (and logs once) the implementation of a primitive; fails fast if oneDNN fell back to reference code. */
    static String record(String kind, String shapeKey, primitive_desc_base pd) {
        String impl = pd.impl_info_str().getString();
        String key = kind + " " + shapeKey;
        IMPLEMENTATIONS.put(key, impl);
        if (LOGGED.putIfAbsent(key, Boolean.TRUE) == null) {
            log.info("oneDNN {}: {}", key, impl);
        }
        return impl;
    }

    /** Every primitive created so far in this JVM and the implementation oneDNN chose for it. */
    public static Map<String, String> implementations() {
        synchronized (IMPLEMENTATIONS) {
            return new LinkedHashMap<>(IMPLEMENTATIONS);
        }
    }

    /** Whether an implementation name is oneDNN's slow reference code. */
    public static boolean isReference(String impl) {
        return impl.startsWith("ref:") || impl.contains(":ref");
    }
}
