package org.bnlab.report;

import org.bnlab.spec.ConfigJson;
import org.bnlab.io.AtomicFiles;
import org.bnlab.report.plot.ProbePercentilePlot;
import org.bnlab.results.ProbeRow;
import org.bnlab.results.RunFolder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The report's part on the probe ({@code probe.csv} of each run, see {@code org.bnlab.measure.ProbeSnapshot}):
 * <ul>
 *   <li>{@code plots/probe-<layer>.png} for the chosen layers ({@code measure.probe_layers} of the runs, else the
 *       first, the middle and the last weight layer): the 15th, 50th and 85th percentiles of the layer's
 *       pre-activation over training, one colour per arm, mean over seeds ({@link ProbePercentilePlot});</li>
 *   <li>{@value #SUMMARY_CSV}: per arm and weight layer, means over the arm's runs (column {@code runs}) of the
 *       percentiles at the first snapshot (iteration 0) and at the last snapshot that every run of the arm has
 *       ({@code last_iteration}), the gradient and weight norms at the first snapshot (at initialisation: why a
 *       network without BN diverges), and the BN columns at the last one. Numbers have 6 significant digits; empty
 *       cells are not applicable (no BN after the layer).</li>
 * </ul>
 * Runs without a {@code probe.csv} are left out; with none at all there is nothing to write.
 */
final class ProbeReport {

    static final String SUMMARY_CSV = "probe-summary.csv";
    static final String HEADER = "arm,layer,runs,first_iteration,last_iteration,p15_first,p50_first,p85_first,"
            + "p15_last,p50_last,p85_last,grad_norm_first,weight_norm_first,bn_mean_gap_last,bn_var_ratio_last,"
            + "gamma_near_zero_last";

    /** One arm: its label and its runs' rows, one list per run. */
    private record ArmRuns(String label, List<List<ProbeRow>> runs) {
    }

    private final Map<String, ArmRuns> arms;
    private final List<String> layers;
    private final String name;

    private ProbeReport(String name, Map<String, ArmRuns> arms, List<String> layers) {
        this.name = name;
        this.arms = arms;
        this.layers = layers;
    }

    /**
     * Reads the finished runs' probe files under {@code resultsDir} (the runs of {@code folder}, in its order).
     *
     * @throws IllegalArgumentException if {@code measure.probe_layers} names a layer the probe files do not have
     */
    static ProbeReport read(Path resultsDir, ResultsFolder folder) {
        List<RunFolder> runFolders = RunFolder.findFinished(resultsDir);
        Map<String, ArmRuns> arms = new LinkedHashMap<>();
        Set<String> requested = new LinkedHashSet<>();
        List<String> weightLayers = new ArrayList<>();
        // ResultsFolder lists the finished runs in the order RunFolder.findFinished gives them
        for (int i = 0; i < Math.min(runFolders.size(), folder.runs().size()); i++) {
            RunFolder run = runFolders.get(i);
            List<ProbeRow> rows = run.readProbe();
            if (rows.isEmpty()) {
                continue;
            }
            arms.computeIfAbsent(folder.armLabel(folder.runs().get(i)), l -> new ArmRuns(l, new ArrayList<>()))
                    .runs().add(rows);
            rows.stream().map(ProbeRow::layer).filter(l -> !weightLayers.contains(l)).forEach(weightLayers::add);
            requested.addAll(probeLayers(run));
        }
        List<String> chosen;
        if (!requested.isEmpty()) {
            for (String layer : requested) {
                if (!weightLayers.contains(layer)) {
                    throw new IllegalArgumentException("measure.probe_layers names '" + layer + "', which no run's "
                            + "probe.csv has; its weight layers are " + weightLayers);
                }
            }
            chosen = List.copyOf(requested);
        } else if (weightLayers.isEmpty()) {
            chosen = List.of();
        } else {
            chosen = new ArrayList<>(new LinkedHashSet<>(List.of(weightLayers.get(0),
                    weightLayers.get((weightLayers.size() - 1) / 2), weightLayers.get(weightLayers.size() - 1))));
        }
        return new ProbeReport(folder.name(), arms, chosen);
    }

    private static List<String> probeLayers(RunFolder run) {
        try {
            return ConfigJson.read(run.configFile()).measure().probeLayers();
        } catch (RuntimeException e) {
            return List.of(); // written before the run specification had the key: the default choice
        }
    }

    boolean isEmpty() {
        return arms.isEmpty();
    }

    /** The layers plotted. */
    List<String> layers() {
        return layers;
    }

    /**
     * Writes {@value #SUMMARY_CSV} and the plots into {@code dir} (each atomically); returns the plots' paths
     * relative to {@code dir}. Writes nothing when no run has a probe file.
     */
    List<String> writeTo(Path dir) {
        if (isEmpty()) {
            return List.of();
        }
        AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), summaryCsv());
        List<String> written = new ArrayList<>();
        for (String layer : layers) {
            String file = "probe-" + layer.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
            List<ProbePercentilePlot.ArmSeries> series = new ArrayList<>();
            arms.values().forEach(arm -> series.add(series(arm, layer)));
            ProbePercentilePlot.write(dir.resolve(ReportPlots.FOLDER).resolve(file),
                    name + ": " + layer + " on the probe batch over training", layer, series);
            written.add(ReportPlots.FOLDER + "/" + file);
        }
        return written;
    }

    /** The arm's percentiles of {@code layer} at every snapshot iteration, mean over the runs that have it. */
    private static ProbePercentilePlot.ArmSeries series(ArmRuns arm, String layer) {
        Map<Long, List<ProbeRow>> byIteration = new TreeMap<>();
        for (List<ProbeRow> run : arm.runs()) {
            run.stream().filter(r -> r.layer().equals(layer))
                    .forEach(r -> byIteration.computeIfAbsent(r.iteration(), k -> new ArrayList<>()).add(r));
        }
        int n = byIteration.size();
        double[] x = new double[n], p15 = new double[n], p50 = new double[n], p85 = new double[n];
        int i = 0;
        for (Map.Entry<Long, List<ProbeRow>> e : byIteration.entrySet()) {
            x[i] = e.getKey();
            p15[i] = mean(e.getValue(), ProbeRow::p15);
            p50[i] = mean(e.getValue(), ProbeRow::p50);
            p85[i] = mean(e.getValue(), ProbeRow::p85);
            i++;
        }
        return new ProbePercentilePlot.ArmSeries(arm.label(), x, p15, p50, p85, arm.runs().size());
    }

    /** The content of {@value #SUMMARY_CSV}. */
    String summaryCsv() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (ArmRuns arm : arms.values()) {
            long first = arm.runs().stream().mapToLong(r -> r.get(0).iteration()).max().orElseThrow();
            long last = arm.runs().stream().mapToLong(r -> r.get(r.size() - 1).iteration()).min().orElseThrow();
            List<String> armLayers = arm.runs().get(0).stream().map(ProbeRow::layer).distinct().toList();
            for (String layer : armLayers) {
                List<ProbeRow> atFirst = at(arm, layer, first);
                List<ProbeRow> atLast = at(arm, layer, last);
                out.append(String.join(",", quoted(arm.label()), layer,
                        Integer.toString(arm.runs().size()), Long.toString(first), Long.toString(last),
                        number(mean(atFirst, ProbeRow::p15)), number(mean(atFirst, ProbeRow::p50)),
                        number(mean(atFirst, ProbeRow::p85)), number(mean(atLast, ProbeRow::p15)),
                        number(mean(atLast, ProbeRow::p50)), number(mean(atLast, ProbeRow::p85)),
                        number(mean(atFirst, ProbeRow::gradientNorm)), number(mean(atFirst, ProbeRow::weightNorm)),
                        number(mean(atLast, ProbeRow::bnMeanGap)), number(mean(atLast, ProbeRow::bnVarRatio)),
                        number(mean(atLast, ProbeRow::gammaNearZero)))).append('\n');
            }
        }
        return out.toString();
    }

    /** The rows of {@code layer} at {@code iteration}, one per run that has it. */
    private static List<ProbeRow> at(ArmRuns arm, String layer, long iteration) {
        return arm.runs().stream().flatMap(List::stream)
                .filter(r -> r.layer().equals(layer) && r.iteration() == iteration).toList();
    }

    private static double mean(List<ProbeRow> rows, ToDoubleFunction<ProbeRow> value) {
        return rows.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    /** A CSV field, in double quotes when it holds a comma or a quote (RFC 4180). */
    private static String quoted(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    /** 6 significant digits; NaN (not applicable, or no value) as an empty cell. */
    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
    }
}
