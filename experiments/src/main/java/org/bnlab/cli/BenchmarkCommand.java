package org.bnlab.cli;

import org.bnlab.backend.BackendReport;
import org.bnlab.io.AtomicFiles;
import org.bnlab.measure.ThroughputBenchmark;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.ResNetConfig;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Prints training and inference images/s of ResNet-20 with each normalizer (BN, none, GroupNorm, LayerNorm, InstanceNorm) on the active backend, and what recording
 * activation statistics at every iteration and the probe at every iteration and at its default interval cost
 * training.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training and inference images/s of a CIFAR ResNet with each normalizer: BN, none, GroupNorm, LayerNorm, InstanceNorm (random data, after warm-up, median of repetitions).",
                "BN's inference+folded row times inference of the same network with each BN folded into its convolution's weights and bias.",
                "The train+stats row records activation statistics at every iteration (the BN network); its overhead is the extra time per image against the same training without them, timed in alternating repetitions.",
                "The train+probe/1 row takes a probe snapshot (measure.probe_*) before every step, timed the same way; train+probe/N scales those repetitions to the default interval of one snapshot per N steps.",
                "The train+ics/1 row measures internal covariate shift (measure.ics_every, every weight layer) before every step, timed the same way; at measure.ics_every: N its overhead is divided by N.",
                "The train+landscape/1 row measures the loss landscape along the gradient (measure.landscape_*, default step sizes) before every step; train+landscape/N scales it to one measurement per N steps, the interval the docs recommend."})
final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--depth", description = "6n+2 layers (default: ${DEFAULT-VALUE})")
    int depth = 20;

    @Option(names = "--batch-size", split = ",", description = "training batch size(s); inference uses the first (default: 128)")
    List<Integer> batchSizes = new ArrayList<>(List.of(128));

    @Option(names = "--layout", converter = Converters.LayoutConverter.class, description = "nhwc or nchw (default: nhwc)")
    org.bnlab.data.Layout layout = org.bnlab.data.Layout.NHWC;

    @Option(names = "--kernels", converter = Converters.KernelPathConverter.class, description = "onednn or dl4j (default: onednn)")
    org.bnlab.model.KernelPath kernels = org.bnlab.model.KernelPath.ONEDNN;

    // 10, not 3: the JVM is still compiling DL4J's graph code over the first iterations (with 3, BN training
    // measured 215-253 images/s in runs where the same network later timed 300-365 inside the train+stats pair)
    @Option(names = "--warmup", description = "untimed iterations first (default: ${DEFAULT-VALUE})")
    int warmup = 10;

    @Option(names = "--repetitions", description = "timed repetitions (default: ${DEFAULT-VALUE})")
    int repetitions = 5;

    @Option(names = "--iterations", description = "iterations per repetition (default: ${DEFAULT-VALUE})")
    int iterations = 4;

    @Option(names = "--normalizers", split = ",", converter = Converters.NormalizerConverter.class,
            description = "time only these, e.g. batchnorm,none (default: every normalizer)")
    List<org.bnlab.norm.Normalizer> normalizers = new ArrayList<>(org.bnlab.norm.Normalizers.all());

    @Option(names = "--overheads", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also time what the activation statistics, the probe, the ICS and the landscape measurements cost, and the data pipeline (default: yes; --no-overheads leaves them out)")
    boolean overheads = true;

    @Option(names = "--csv", description = "also write the table here (default: ${DEFAULT-VALUE})")
    Path csv = Path.of("results", "benchmark.csv");

    @Override
    public Integer call() {
        org.bnlab.backend.GpuCheck.requireUsable(); // before ND4J loads: an unsupported GPU fails at its first kernel
        CNN2DFormat format = layout == org.bnlab.data.Layout.NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        ThroughputBenchmark.Settings settings = new ThroughputBenchmark.Settings(depth, batchSizes, format, kernels, warmup,
                repetitions, iterations, normalizers, overheads);
        BackendReport backend = BackendReport.current(CifarResNet.build(ResNetConfig.resnet20(10).withDepth(depth)
                .withFormat(format).withKernels(kernels), new SgdMomentum(0.1, 0.9), 1e-4, 1));
        System.out.println(backend.summary());
        String header = String.format("%-9s %-12s %-19s %6s %-6s %-7s %12s %10s %10s  %s", "model", "norm", "mode",
                "batch", "layout", "kernels", "median img/s", "min", "max", "overhead");
        System.out.println(header);
        StringBuilder table = new StringBuilder("model,normalization,mode,batch_size,layout,kernels,median_images_per_second,"
                + "min_images_per_second,max_images_per_second,repetitions,iterations,backend,onednn_helpers,"
                + "baseline_median_images_per_second,overhead_pct\n");
        ThroughputBenchmark.run(settings, row -> {
            boolean costed = row.baseline() != null;
            System.out.println(String.format(Locale.ROOT, "%-9s %-12s %-19s %6d %-6s %-7s %12.1f %10.1f %10.1f  %s",
                    row.model(), row.normalization(), row.mode(), row.batchSize(), row.layout(), kernels,
                    row.throughput().median(),
                    row.throughput().min(), row.throughput().max(),
                    costed ? String.format(Locale.ROOT, "%+.1f%% (%.1f img/s without)", row.overheadPercent(),
                            row.baseline().median()) : ""));
            table.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%s,%.1f,%.1f,%.1f,%d,%d,%s,%s,%s,%s%n",
                    row.model(), row.normalization(), row.mode(), row.batchSize(), row.layout(), kernels,
                    row.throughput().median(),
                    row.throughput().min(), row.throughput().max(), repetitions, iterations, backend.backend(),
                    backend.onednnHelpers(),
                    costed ? String.format(Locale.ROOT, "%.1f", row.baseline().median()) : "",
                    costed ? String.format(Locale.ROOT, "%.1f", row.overheadPercent()) : ""));
        });
        AtomicFiles.writeString(csv, table.toString());
        System.out.println("written: " + csv);
        return 0;
    }
}
