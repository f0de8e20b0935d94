package org.bnlab.kernels;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Collections;

/**
 * Benchmarks the kernel layers against the plain DL4J layers (with whatever helpers the JVM has on: run it with the
 * project's two fixes, {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false
 * -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2}). Prints medians.
 *
 * <pre>
 *   KernelBench kernels NHWC|NCHW [batch]             per-kernel ms, 3x3 conv 16->16 and BN on batch x 16 x 32 x 32
 *   KernelBench convs NHWC|NCHW [batch] [blocked|direct]
 *                                                     per-shape ms of ResNet-20's convolution plans alone, with
 *                                                     activations reordered to blocked layouts or as they are
 *                                                     (default: as the layers do, blocked for NCHW only)
 * </pre>
 * The whole network's training step, by phase: {@code ResNetStepProfile} in the measurement package. This class stays
 * below the model and training code (it builds single layers only), so that the kernels depend on nothing of bnlab
 * above them.
 */
public final class KernelBench {

    private static final LayerWorkspaceMgr MGR = LayerWorkspaceMgr.noWorkspaces();

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "kernels";
        CNN2DFormat format = CNN2DFormat.valueOf(args.length > 1 ? args[1] : "NHWC");
        if (what.equals("kernels")) {
            kernels(format, args.length > 2 ? Integer.parseInt(args[2]) : 128);
        } else if (what.equals("convs")) {
            convs(format, args.length > 2 ? Integer.parseInt(args[2]) : 128,
                    args.length > 3 ? args[3].equals("blocked") : format == CNN2DFormat.NCHW);
        } else {
            throw new IllegalArgumentException("unknown mode " + what + " (kernels or convs; the whole network's "
                    + "step is profiled by ResNetStepProfile in the measurement package)");
        }
        System.out.println("oneDNN kernels: " + (Dnnl.isAvailable() ? "on" : "off (" + Dnnl.unavailableReason() + ")"));
        Dnnl.implementations().forEach((k, v) -> System.out.println("  impl " + k + ": " + v));
    }

    private static Layer layer(org.deeplearning4j.nn.conf.layers.Layer lc, INDArray params) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).layer(lc).build();
        long n = conf.getLayer().initializer().numParams(conf);
        INDArray view = params == null ? Nd4j.create(DataType.FLOAT, 1, n) : params.dup();
        Layer l = conf.getLayer().instantiate(conf, Collections.emptyList(), 0, view, params == null, DataType.FLOAT);
        l.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, n));
        return l;
    }

    private static void kernels(CNN2DFormat format, int batch) {
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(DataType.FLOAT, batch, 16, 32, 32)
                : Nd4j.rand(DataType.FLOAT, batch, 32, 32, 16);
        INDArray eps = x.dup().subi(0.5);
        ConvolutionLayer convConf = new ConvolutionLayer.Builder(3, 3).padding(1, 1).nIn(16).nOut(16).hasBias(false)
                .activation(Activation.IDENTITY).dataFormat(format).build();
        BatchNormalization bnConf = new BatchNormalization.Builder().nIn(16).nOut(16).dataFormat(format).build();
        Layer convPlain = layer(convConf, null);
        Layer convFast = layer(DnnlConvolutionLayer.of(convConf), convPlain.params());
        Layer bnPlain = layer(bnConf, null);
        Layer bnFast = layer(DnnlBatchNormalization.of(bnConf), bnPlain.params());
        Layer bnReluFast = layer(DnnlBatchNormalization.of(bnConf, true), bnPlain.params());
        System.out.printf("per-kernel ms (median), %s %dx16x32x32, 3x3 conv 16->16%n", format, batch);
        System.out.printf("%-26s %10s %10s%n", "", "fwd", "bwd");
        for (Object[] row : new Object[][]{{"conv  DL4J", convPlain}, {"conv  oneDNN kernel", convFast},
                {"BN    DL4J", bnPlain}, {"BN    oneDNN kernel", bnFast}, {"BN+ReLU oneDNN kernel", bnReluFast}}) {
            Layer l = (Layer) row[1];
            double[] t = time(l, x, eps, 12);
            System.out.printf("%-26s %10.2f %10.2f%n", row[0], t[0], t[1]);
        }
        if (Dnnl.isAvailable()) {
            // the primitives alone, on preallocated buffers: what the layer adds is the difference
            boolean nhwc = format == CNN2DFormat.NHWC;
            ConvPlan plan = new ConvPlan(new ConvPlan.Shape(batch, 16, 32, 32, 16, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1,
                    nhwc, false, false, !nhwc));
            INDArray w = convPlain.getParam("W"), y = x.ulike(), dx = x.ulike(), dw = w.ulike();
            double[] f = new double[12], b = new double[12];
            for (int i = -3; i < 12; i++) {
                long t0 = System.nanoTime();
                plan.forward(x, w, null, y);
                long t1 = System.nanoTime();
                plan.backward(x, w, eps, dx, dw, null);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    f[i] = (t1 - t0) / 1e6;
                    b[i] = (t2 - t1) / 1e6;
                }
            }
            System.out.printf("%-26s %10.2f %10.2f%n", "conv  oneDNN plan only", median(f), median(b));
        }
    }

    /**
     * The oneDNN convolution plans alone, on preallocated buffers, for every distinct 3x3 convolution of ResNet-20
     * (count = how many the network has): forward, backward-data and backward-weights medians.
     */
    private static void convs(CNN2DFormat format, int batch, boolean blocked) {
        boolean nhwc = format == CNN2DFormat.NHWC;
        long[][] shapes = { // inC, inHW, outC, stride, count
                {3, 32, 16, 1, 1}, {16, 32, 16, 1, 6}, {16, 32, 32, 2, 1}, {32, 16, 32, 1, 5}, {32, 16, 64, 2, 1},
                {64, 8, 64, 1, 5}};
        System.out.printf("oneDNN convolution plans alone, %s batch %d, %s, median ms%n", format, batch,
                blocked ? "blocked activations (reordered in and out, as in training)" : "activations as they are");
        System.out.printf("%-24s %5s %8s %8s %8s %8s%n", "shape", "count", "fwd", "bwdData", "bwdW", "total");
        double sum = 0;
        for (long[] sh : shapes) {
            long inC = sh[0], hw = sh[1], outC = sh[2], s = sh[3], outHW = hw / s;
            ConvPlan plan = new ConvPlan(new ConvPlan.Shape(batch, inC, hw, hw, outC, outHW, outHW, 3, 3, s, s, 1, 1,
                    1, 1, nhwc, false, false, blocked));
            INDArray x = nhwc ? Nd4j.rand(DataType.FLOAT, batch, hw, hw, inC) : Nd4j.rand(DataType.FLOAT, batch, inC,
                    hw, hw);
            INDArray dy = nhwc ? Nd4j.rand(DataType.FLOAT, batch, outHW, outHW, outC) : Nd4j.rand(DataType.FLOAT,
                    batch, outC, outHW, outHW);
            INDArray w = Nd4j.rand(DataType.FLOAT, outC, inC, 3, 3), y = dy.ulike(), dx = x.ulike(), dw = w.ulike();
            int reps = 12;
            double[] f = new double[reps], bw = new double[reps], bd = new double[reps];
            for (int i = -3; i < reps; i++) {
                long t0 = System.nanoTime();
                plan.forward(x, w, null, y);
                long t1 = System.nanoTime();
                plan.backward(x, w, dy, null, dw, null);
                long t2 = System.nanoTime();
                plan.backward(x, w, dy, dx, dw, null);
                long t3 = System.nanoTime();
                if (i >= 0) {
                    f[i] = (t1 - t0) / 1e6;
                    bw[i] = (t2 - t1) / 1e6;
                    bd[i] = ((t3 - t2) - (t2 - t1)) / 1e6;
                }
            }
            double tf = median(f), tbd = median(bd), tbw = median(bw);
            sum += sh[4] * (tf + tbd + tbw);
            System.out.printf("%-24s %5d %8.2f %8.2f %8.2f %8.2f   %s | %s | %s%n",
                    inC + "x" + hw + "->" + outC + "x" + outHW, sh[4], tf, tbd, tbw, tf + tbd + tbw,
                    plan.forwardImpl, plan.backwardDataImpl, plan.backwardWeightsImpl);
        }
        System.out.printf("sum over the network's 3x3 convolutions: %.1f ms per training step%n", sum);
    }

    /** Median forward (training) and backward ms. */
    private static double[] time(Layer l, INDArray x, INDArray eps, int reps) {
        double[] f = new double[reps], b = new double[reps];
        for (int i = -3; i < reps; i++) {
            l.setInput(x, MGR);
            long t0 = System.nanoTime();
            l.activate(true, MGR);
            long t1 = System.nanoTime();
            l.backpropGradient(eps, MGR);
            long t2 = System.nanoTime();
            if (i >= 0) {
                f[i] = (t1 - t0) / 1e6;
                b[i] = (t2 - t1) / 1e6;
            }
        }
        return new double[]{median(f), median(b)};
    }

    /** The median of {@code v} (which is left as it is). */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
