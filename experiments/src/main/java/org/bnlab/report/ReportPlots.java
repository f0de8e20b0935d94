package org.bnlab.report;

import org.bnlab.report.plot.ActivationDepthPlot;
import org.bnlab.report.plot.Arm;
import org.bnlab.report.plot.ArmActivations;
import org.bnlab.report.plot.SweepArm;
import org.bnlab.report.plot.SweepPlot;
import org.bnlab.report.plot.TrainingCurvesPlot;
import org.bnlab.results.ActivationRow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's plots, under {@code plots/} of the results folder, one arm per combination of the varying settings
 * (seed aside):
 * <ul>
 *   <li>{@value #CURVES}: test accuracy and training loss per epoch, mean over seeds with a band, diverged runs
 *       marked where they stopped;</li>
 *   <li>{@value #ACTIVATIONS}: activation standard deviation and mean |x| of the stem's and each block's output
 *       (residual or plain) in network order, at the first and the last snapshot (log scale), when the runs recorded activation
 *       statistics (where a network without BN shows its activations growing with depth);</li>
 *   <li>{@code sweep-<setting>.png}: final test accuracy against each varying numeric setting, per arm of the
 *       other settings.</li>
 * </ul>
 */
final class ReportPlots {

    static final String FOLDER = "plots";
    static final String CURVES = "training-curves.png";
    static final String ACTIVATIONS = "activations-by-layer.png";
    /** A layer of a block, {@code s<stage>b<block>_...}; group 1 is the block. */
    private static final java.util.regex.Pattern BLOCK_LAYER = java.util.regex.Pattern.compile("(s\\d+b\\d+)_.*");

    private ReportPlots() {
    }

    /** Writes the plots; returns their paths relative to {@code dir}, for the Markdown report to link. */
    static List<String> write(Path dir, ResultsFolder folder) {
        List<String> written = new ArrayList<>();
        Path plots = dir.resolve(FOLDER);
        List<Arm> arms = new ArrayList<>();
        List<ArmActivations> activations = new ArrayList<>();
        for (Map.Entry<String, List<ReportRun>> arm : folder.byArm().entrySet()) {
            List<Arm.Run> runs = new ArrayList<>();
            List<ArmActivations.Run> snapshots = new ArrayList<>();
            for (ReportRun run : arm.getValue()) {
                FinishedRun f = run.finished();
                Integer diverged = f.summary().divergedEpoch();
                // the epoch in which a run diverged is recorded, but it is not a trained result (as in the tables)
                runs.add(new Arm.Run(f.summary().seed(), f.epochs().stream()
                        .filter(e -> diverged == null || e.epoch() < diverged).toList(), diverged));
                List<ActivationRow> rows = new ArrayList<>(blockOutputs(f.firstActivationSnapshot()));
                if (!f.lastActivationSnapshot().equals(f.firstActivationSnapshot())) {
                    rows.addAll(blockOutputs(f.lastActivationSnapshot()));
                }
                if (!rows.isEmpty()) {
                    snapshots.add(new ArmActivations.Run(f.summary().seed(), rows));
                }
            }
            arms.add(new Arm(arm.getKey(), runs));
            if (!snapshots.isEmpty()) {
                activations.add(new ArmActivations(arm.getKey(), snapshots));
            }
        }
        TrainingCurvesPlot.write(plots.resolve(CURVES), folder.name() + ": test accuracy and training loss", arms);
        written.add(FOLDER + "/" + CURVES);
        if (!activations.isEmpty()) {
            ActivationDepthPlot.write(plots.resolve(ACTIVATIONS), folder.name() + ": "
                    + activationsTitle(folder.runs().stream().map(r -> r.finished().summary().model()).toList()),
                    activations);
            written.add(FOLDER + "/" + ACTIVATIONS);
        }
        for (String swept : folder.arms()) {
            if (!numeric(folder, swept)) {
                continue;
            }
            String file = "sweep-" + folder.shortName(swept).replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
            SweepPlot.write(plots.resolve(file), folder.name() + ": final test accuracy against "
                    + folder.shortName(swept), swept, sweepArms(folder, swept));
            written.add(FOLDER + "/" + file);
        }
        return written;
    }

    /**
     * What the activation depth plot's x positions are, from the runs' model names ({@code resnet20},
     * {@code plain20}, {@code mlp-...}): a plain network's blocks have no shortcut, so their output is the block's
     * last ReLU, not a residual block's sum; an MLP's rows are its layers.
     */
    static String activationsTitle(List<String> models) {
        boolean plain = models.stream().anyMatch(m -> m.startsWith("plain"));
        boolean residual = models.stream().anyMatch(m -> m.startsWith("resnet"));
        if (plain && residual) {
            return "the stem's and each block's output (residual: after the addition; plain: no shortcut), "
                    + "then the pooled features";
        }
        if (plain) {
            return "the stem's and each plain block's output (no shortcut), then the pooled features";
        }
        if (residual) {
            return "the stem's and each residual block's output, then the pooled features";
        }
        return "each layer's output";
    }

    /**
     * The rows at the same places in every arm, so that x positions compare: the stem's output, each block's output
     * and the pooled features. A block's output is its last vertex in the network's order: the ReLU after the
     * addition in a ResNet, the block's last ReLU in a plain network (its last BN where the oneDNN path fused that
     * ReLU into it). A network with BN has more layers than one without (its BN layers), so plotting every layer
     * would set different layers side by side. Networks without blocks (an MLP) keep all their rows.
     */
    static List<ActivationRow> blockOutputs(List<ActivationRow> snapshot) {
        ActivationRow stem = null;
        Map<String, ActivationRow> blocks = new LinkedHashMap<>();
        ActivationRow pool = null;
        for (ActivationRow row : snapshot) {
            String layer = row.stats().layer();
            java.util.regex.Matcher block = BLOCK_LAYER.matcher(layer);
            if (layer.startsWith("stem_") && blocks.isEmpty()) {
                stem = row; // the stem's last layer is its output
            } else if (block.matches()) {
                blocks.put(block.group(1), row); // a later row of the block replaces an earlier one
            } else if (layer.equals("pool")) {
                pool = row;
            }
        }
        if (blocks.isEmpty() && pool == null) {
            return snapshot;
        }
        List<ActivationRow> out = new ArrayList<>();
        if (stem != null) {
            out.add(stem);
        }
        out.addAll(blocks.values());
        if (pool != null) {
            out.add(pool);
        }
        return out;
    }

    /** Whether every run's value of {@code path} is a number and there are at least two of them. */
    private static boolean numeric(ResultsFolder folder, String path) {
        try {
            return folder.runs().stream().map(r -> Double.parseDouble(r.value(path))).distinct().count() > 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<SweepArm> sweepArms(ResultsFolder folder, String swept) {
        List<String> others = folder.arms().stream().filter(p -> !p.equals(swept)).toList();
        Map<String, Map<Double, List<ReportRun>>> byArm = new LinkedHashMap<>();
        for (ReportRun run : folder.runs()) {
            String label = others.isEmpty() ? "all runs" : String.join(", ", others.stream()
                    .map(p -> folder.shortName(p) + "=" + run.value(p)).toList());
            byArm.computeIfAbsent(label, k -> new TreeMap<>())
                    .computeIfAbsent(Double.parseDouble(run.value(swept)), k -> new ArrayList<>()).add(run);
        }
        List<SweepArm> arms = new ArrayList<>();
        byArm.forEach((label, points) -> {
            List<SweepArm.Point> list = new ArrayList<>();
            points.forEach((value, runs) -> list.add(new SweepArm.Point(value,
                    runs.stream().filter(r -> !r.diverged()).map(r -> r.finished().summary().finalTestAccuracy())
                            .filter(java.util.Objects::nonNull).toList(),
                    (int) runs.stream().filter(ReportRun::diverged).count())));
            arms.add(new SweepArm(label, list));
        });
        return arms;
    }
}
