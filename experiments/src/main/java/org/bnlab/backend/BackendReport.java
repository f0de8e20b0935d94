package org.bnlab.backend;

import org.bnlab.kernels.Dnnl;
import org.bnlab.kernels.DnnlBatchNorm;
import org.bnlab.kernels.DnnlConvolution;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the numeric backend really does in this process: which ND4J backend loaded, whether DL4J's layer helpers
 * (oneDNN on CPU, cuDNN on GPU) are allowed and active, and which helper each kind of layer of a given network
 * got. Every run records this, because the same network runs about ten times slower without the helpers.
 *
 * @param backend          ND4J's backend name: {@code CPU} or {@code CUDA}
 * @param helpersProperty  the value of {@value BackendSetup#HELPERS_DISABLE_PROPERTY} ({@code false} = helpers on)
 * @param helpersAllowed   ND4J's own switch for native helpers
 * @param onednnBuild      whether libnd4j was built with oneDNN and uses it
 * @param onednnHelpers    DL4J's verdict: oneDNN layer helpers will be created
 * @param platform         JavaCPP's platform extension (which libnd4j build loaded)
 * @param blasVendor       the BLAS behind matrix products
 * @param threads          OpenMP threads libnd4j uses
 * @param onednnKernels    whether bnlab's own oneDNN layers ({@code org.bnlab.kernels}) can run here, or why not
 * @param layerHelpers     for a network: layer type -> what computes it: a DL4J helper class, {@code onednn-kernels}
 *                         for bnlab's oneDNN layers, or {@code none} where the layer runs on plain libnd4j ops;
 *                         empty when no network was given
 */
public record BackendReport(String backend, String helpersProperty, boolean helpersAllowed, boolean onednnBuild,
                            boolean onednnHelpers, String onednnKernels, String platform, String blasVendor,
                            int threads, Map<String, String> layerHelpers) {

    /** The backend as loaded, without looking at any network. */
    public static BackendReport current() {
        return current(null);
    }

    /** The backend as loaded, and the helpers the layers of {@code net} got. */
    public static BackendReport current(ComputationGraph net) {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(env.getProperty("backend"));
        boolean onednnBuild = org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
        Map<String, String> helpers = new TreeMap<>();
        if (net != null) {
            for (Layer layer : net.getLayers()) {
                helpers.merge(layer.getClass().getSimpleName(), computedBy(layer),
                        (a, b) -> a.equals(b) ? a : a + "," + b);
            }
        }
        return new BackendReport(
                backend,
                System.getProperty(BackendSetup.HELPERS_DISABLE_PROPERTY, "true (DL4J default)"),
                Nd4j.getEnvironment().helpersAllowed(),
                onednnBuild,
                BaseMKLDNNHelper.mklDnnEnabled(),
                Dnnl.isAvailable() ? "available" : "unavailable: " + Dnnl.unavailableReason(),
                "linux-x86_64" + System.getProperty(BackendSetup.PLATFORM_EXTENSION_PROPERTY, ""),
                String.valueOf(env.getProperty("blas.vendor")),
                Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads", "0"))),
                helpers);
    }

    private static String computedBy(Layer layer) {
        if (layer instanceof DnnlConvolution || layer instanceof DnnlBatchNorm) {
            return Dnnl.isAvailable() ? ONEDNN_KERNELS : "none (oneDNN kernels unavailable)";
        }
        Object helper = layer.getHelper();
        return helper == null ? "none" : helper.getClass().getSimpleName();
    }

    /** What {@link #layerHelpers()} says for a layer computed by bnlab's oneDNN kernels. */
    public static final String ONEDNN_KERNELS = "onednn-kernels";

    /**
     * True when every convolution and BN layer runs on a vendor library (DL4J's oneDNN or cuDNN helpers, or bnlab's
     * oneDNN kernels), not on libnd4j's plain ops.
     */
    public boolean fastPathActive() {
        return !layerHelpers.isEmpty() && layerHelpers.entrySet().stream()
                .filter(e -> e.getKey().contains("Convolution") || e.getKey().contains("BatchNorm"))
                .noneMatch(e -> e.getValue().contains("none"));
    }

    /** One line for logs and the console. */
    public String summary() {
        return "backend " + backend + " (" + platform + ", " + blasVendor + ", " + threads + " threads), "
                + "oneDNN build " + onednnBuild + ", DL4J helpers " + (onednnHelpers ? "active" : "INACTIVE")
                + ", bnlab oneDNN kernels " + onednnKernels
                + (layerHelpers.isEmpty() ? "" : ", layers " + layerHelpers);
    }
}
