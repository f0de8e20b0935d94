package org.bnlab.kernels;

import org.bnlab.backend.BackendSetup;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Normalization;
import org.bnlab.model.ResNetSpec;
import org.bnlab.train.SgdMomentum;
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
 *   KernelBench resnet NHWC|NCHW bn|nobn plain|fast|fused [batch] [iterations]
 *                                                     ResNet-20 training images/s
 * </pre>
 */
public final class KernelBench {

    private static final LayerWorkspaceMgr MGR = LayerWorkspaceMgr.noWorkspaces();

    public static void main(String[] args) {
        BackendSetup.configure();
        String what = args.length > 0 ? args[0] : "kernels";
        CNN2DFormat format = CNN2DFormat.valueOf(args.length > 1 ? args[1] : "NHWC");
        if (what.equals("kernels")) {
            kernels(format, args.length > 2 ? Integer.parseInt(args[2]) : 128);
        } else if (what.equals("convs")) {
            convs(format, args.length > 2 ? Integer.parseInt(args[2]) : 128,
                    args.length > 3 ? args[3].equals("blocked") : format == CNN2DFormat.NCHW);
        } else {
            boolean bn = !(args.length > 2 && args[2].equals("nobn"));
            String mode = args.length > 3 ? args[3] : "fused";
            int batch = args.length > 4 ? Integer.parseInt(args[4]) : 128;
            int iterations = args.length > 5 ? Integer.parseInt(args[5]) : 6;
            resnet(format, bn, mode, batch, iterations);
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

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void resnet(CNN2DFormat format, boolean bn, String mode, int batch, int iterations) {
        // as the benchmark harness (ThroughputBenchmark): zero-residual without BN and a small learning rate, so
        // the numbers stay finite while timed
        ResNetSpec spec = ResNetSpec.resnet20(10).withFormat(format)
                .withNormalization(bn ? Normalization.BATCHNORM : Normalization.NONE)
                .withInit(bn ? org.bnlab.model.Initialization.HE : org.bnlab.model.Initialization.ZERO_RESIDUAL);
        ComputationGraphConfiguration conf = CifarResNet.configuration(spec, new SgdMomentum(0.01, 0.9), 1e-4, 42);
        if (!mode.equals("plain")) {
            conf = Kernels.accelerate(conf, mode.equals("fused"));
        }
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32)
                : Nd4j.rand(DataType.FLOAT, batch, 32, 32, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        MultiDataSet data = new MultiDataSet(x, y);
        double[] ms = new double[iterations];
        // phases of a training step: forward, backward (+ score), gradient/updater (regularisation, updater,
        // parameter step), rest of fit
        String[] phases = {"forward", "backward+score", "updater+step", "rest of fit"};
        double[][] phaseMs = new double[phases.length][iterations];
        long[] marks = new long[phases.length + 1];
        net.addListeners(new org.deeplearning4j.optimize.api.BaseTrainingListener() {
            @Override
            public void onForwardPass(org.deeplearning4j.nn.api.Model model, java.util.Map<String, INDArray> a) {
                marks[1] = System.nanoTime();
            }

            @Override
            public void onBackwardPass(org.deeplearning4j.nn.api.Model model) {
                marks[2] = System.nanoTime();
            }

            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                marks[3] = System.nanoTime();
            }
        });
        for (int i = -2; i < iterations; i++) {
            if (i == 0) {
                Profile.reset();
            }
            long t0 = System.nanoTime();
            marks[0] = t0;
            net.fit(data);
            marks[4] = System.nanoTime();
            if (i >= 0) {
                ms[i] = (marks[4] - t0) / 1e6;
                for (int p = 0; p < phases.length; p++) {
                    phaseMs[p][i] = (marks[p + 1] - marks[p]) / 1e6;
                }
            }
        }
        double med = median(ms);
        for (int p = 0; p < phases.length; p++) {
            System.out.printf("  phase %-16s %8.1f ms (median)%n", phases[p], median(phaseMs[p]));
        }
        if (Profile.ON) {
            System.out.println("  profile, ms per iteration (mean), calls per iteration:");
            Profile.totals().forEach((k, v) -> System.out.printf("    %-40s %8.2f %5d%n", k,
                    v[0] / 1e6 / iterations, v[1] / iterations));
        }
        System.out.printf("ResNet-20 %s %s %s batch %d: %.0f ms/iteration (median of %d), %.1f images/s, "
                        + "loss %.3f%n", format, bn ? "BN" : "noBN", mode, batch, med, iterations,
                batch * 1000.0 / med, net.score());
    }
}
