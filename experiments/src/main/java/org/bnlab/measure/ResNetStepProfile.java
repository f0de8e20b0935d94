package org.bnlab.measure;

import org.bnlab.backend.BackendSetup;
import org.bnlab.kernels.Dnnl;
import org.bnlab.kernels.KernelBench;
import org.bnlab.model.CifarResNet;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.model.ResNetConfig;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ResNet-20's training step on random data, timed by phase (forward, backward, updater, rest of {@code fit}), with
 * the kernel layers' own timers when {@code -Dbnlab.kernels.profile=true}: where a step's time goes.
 *
 * <pre>
 *   ResNetStepProfile NHWC|NCHW bn|nobn plain|fast|fused [batch] [iterations]
 * </pre>
 * {@code plain}: DL4J's layers; {@code fast}: bnlab's oneDNN layers; {@code fused}: also BN, convolution and
 * residual additions fused with the ReLU after them (the default path).
 */
public final class ResNetStepProfile {

    private ResNetStepProfile() {
    }

    public static void main(String[] args) {
        BackendSetup.configure();
        CNN2DFormat format = CNN2DFormat.valueOf(args.length > 0 ? args[0] : "NHWC");
        boolean bn = !(args.length > 1 && args[1].equals("nobn"));
        String mode = args.length > 2 ? args[2] : "fused";
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int iterations = args.length > 4 ? Integer.parseInt(args[4]) : 6;
        profile(format, bn, mode, batch, iterations);
        System.out.println("oneDNN kernels: " + (Dnnl.isAvailable() ? "on" : "off (" + Dnnl.unavailableReason() + ")"));
        Dnnl.implementations().forEach((k, v) -> System.out.println("  impl " + k + ": " + v));
    }

    private static void profile(CNN2DFormat format, boolean bn, String mode, int batch, int iterations) {
        // as the benchmark harness (ThroughputBenchmark): zero-residual without BN and a small learning rate, so
        // the numbers stay finite while timed
        ResNetConfig spec = ResNetConfig.resnet20(10).withFormat(format)
                .withNormalization(bn ? BatchNorm.DEFAULT : NoNorm.DEFAULT)
                .withInit(bn ? org.bnlab.model.Initialization.HE : org.bnlab.model.Initialization.ZERO_RESIDUAL);
        ComputationGraphConfiguration conf = CifarResNet.configuration(spec, new SgdMomentum(0.01, 0.9), 1e-4, 42);
        if (!mode.equals("plain")) {
            conf = org.bnlab.kernels.Kernels.accelerate(conf, mode.equals("fused"), spec.normalization()::onOneDnn);
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
                org.bnlab.kernels.Profile.reset();
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
        double med = KernelBench.median(ms);
        for (int p = 0; p < phases.length; p++) {
            System.out.printf("  phase %-16s %8.1f ms (median)%n", phases[p], KernelBench.median(phaseMs[p]));
        }
        if (org.bnlab.kernels.Profile.ON) {
            System.out.println("  profile, ms per iteration (mean), calls per iteration:");
            org.bnlab.kernels.Profile.totals().forEach((k, v) -> System.out.printf("    %-40s %8.2f %5d%n", k,
                    v[0] / 1e6 / iterations, v[1] / iterations));
        }
        System.out.printf("ResNet-20 %s %s %s batch %d: %.0f ms/iteration (median of %d), %.1f images/s, "
                        + "loss %.3f%n", format, bn ? "BN" : "noBN", mode, batch, med, iterations,
                batch * 1000.0 / med, net.score());
    }
}
