package org.bnlab.measure;

import org.bnlab.io.AtomicFiles;
import org.bnlab.report.plot.ProbePercentilePlot;
import org.bnlab.report.stats.SampleAggregates;
import org.bnlab.results.ProbeRow;
import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.aggregate.NumericAggregateFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;

/**
 * The report's part on the probe ({@code probe.csv} of each run, see {@link ProbeSnapshot}):
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
 * Runs without a {@code probe.csv} are left out; with none at all there is nothing to write. The summary's means
 * are Tablesaw's {@code summarize(...).by(arm, layer)} over the runs' rows at the first and at the last snapshot.
 */
final class ProbeReport implements MeasurementReport {

    static final String SUMMARY_CSV = "probe-summary.csv";
    /** The report's plot folder, beside {@code report.md}. */
    static final String PLOTS = "plots";
    static final String HEADER = "arm,layer,runs,first_iteration,last_iteration,p15_first,p50_first,p85_first,"
            + "p15_last,p50_last,p85_last,grad_norm_first,weight_norm_first,bn_mean_gap_last,bn_var_ratio_last,"
            + "gamma_near_zero_last";

    private static final String ARM = "arm";
    private static final String LAYER = "layer";
    private static final String ITERATION = "iteration";
    private static final List<String> PERCENTILES = List.of("p15", "p50", "p85");
    /** The columns of a probe snapshot table, named as in {@value #SUMMARY_CSV} less {@code _first}/{@code _last}. */
    private static final List<String> METRICS = List.of("p15", "p50", "p85", "grad_norm", "weight_norm",
            "bn_mean_gap", "bn_var_ratio", "gamma_near_zero");
    /**
     * The mean over an arm's runs as the probe summary has it, not {@link SampleAggregates#MEAN}: a NaN in any run
     * (a layer without BN, a run whose values overflowed before it diverged) makes the mean NaN, an empty cell,
     * rather than a mean over the other runs; summed as {@link java.util.stream.DoubleStream#average} sums.
     */
    private static final AggregateFunction<NumericColumn<?>, Double> MEAN_OF_ALL = new NumericAggregateFunction(
            "mean") {
        @Override
        public Double summarize(NumericColumn<?> column) {
            return DoubleStream.of(column.asDoubleArray()).average().orElse(Double.NaN);
        }
    };

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
     * Reads the probe files of the finished {@code runs} (in the report's order) of the experiment {@code name}.
     *
     * @throws IllegalArgumentException if {@code measure.probe_layers} names a layer the probe files do not have
     */
    static ProbeReport read(String name, List<MeasuredRun> runs) {
        Map<String, ArmRuns> arms = new LinkedHashMap<>();
        Set<String> requested = new LinkedHashSet<>();
        List<String> weightLayers = new ArrayList<>();
        for (MeasuredRun run : runs) {
            List<ProbeRow> rows = ProbeMeasurement.RECORDS.read(run.folder());
            if (rows.isEmpty()) {
                continue;
            }
            arms.computeIfAbsent(run.arm(), l -> new ArmRuns(l, new ArrayList<>())).runs().add(rows);
            rows.stream().map(ProbeRow::layer).filter(l -> !weightLayers.contains(l)).forEach(weightLayers::add);
            // a config.json written before the run specification had the key: the default choice
            requested.addAll(run.spec() == null ? List.of() : run.spec().measure().probeLayers());
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
        return new ProbeReport(name, arms, chosen);
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
    @Override
    public List<String> writeTo(Path dir) {
        if (isEmpty()) {
            return List.of();
        }
        AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), summaryCsv());
        List<String> written = new ArrayList<>();
        for (String layer : layers) {
            String file = "probe-" + layer.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
            List<ProbePercentilePlot.ArmSeries> series = new ArrayList<>();
            arms.values().forEach(arm -> series.add(series(arm, layer)));
            ProbePercentilePlot.write(dir.resolve(PLOTS).resolve(file),
                    name + ": " + layer + " on the probe batch over training", layer, series);
            written.add(PLOTS + "/" + file);
        }
        return written;
    }

    @Override
    public String markdown() {
        if (isEmpty()) {
            return "";
        }
        return "\n## Probe\n\nEach run's weight layers measured on a fixed batch of test images at training "
                + "snapshots (`<run>/probe.csv`): percentiles of the pre-activation (Ioffe and Szegedy 2015, "
                + "Figure 1), weight and gradient norms, BN's running against batch statistics. Plotted: "
                + String.join(", ", layers) + "; per arm and layer, first against last snapshot: `" + SUMMARY_CSV
                + "`.\n";
    }

    /** The arm's percentiles of {@code layer} at every snapshot iteration, mean over the runs that have it. */
    private static ProbePercentilePlot.ArmSeries series(ArmRuns arm, String layer) {
        LongColumn iteration = LongColumn.create(ITERATION);
        List<DoubleColumn> percentiles = PERCENTILES.stream().map(DoubleColumn::create).toList();
        for (List<ProbeRow> run : arm.runs()) {
            run.stream().filter(r -> r.layer().equals(layer)).forEach(r -> {
                iteration.append(r.iteration());
                percentiles.get(0).append(r.p15());
                percentiles.get(1).append(r.p50());
                percentiles.get(2).append(r.p85());
            });
        }
        Table rows = Table.create("probe " + layer, iteration);
        percentiles.forEach(rows::addColumns);
        Table byIteration = SampleAggregates.summarizeBy(rows, List.of(ITERATION), PERCENTILES, MEAN_OF_ALL)
                .sortAscendingOn(ITERATION);
        double[] x = byIteration.longColumn(ITERATION).asDoubleArray();
        return new ProbePercentilePlot.ArmSeries(arm.label(), x, means(byIteration, "p15"), means(byIteration, "p50"),
                means(byIteration, "p85"), arm.runs().size());
    }

    /** The column of {@code metric}'s means in a table summarised with {@link #MEAN_OF_ALL}. */
    private static double[] means(Table summarised, String metric) {
        return summarised.doubleColumn(SampleAggregates.name(MEAN_OF_ALL, metric)).asDoubleArray();
    }

    /** The content of {@value #SUMMARY_CSV}. */
    String summaryCsv() {
        Map<ArmRuns, Long> firsts = new LinkedHashMap<>();
        Map<ArmRuns, Long> lasts = new LinkedHashMap<>();
        for (ArmRuns arm : arms.values()) {
            firsts.put(arm, arm.runs().stream().mapToLong(r -> r.get(0).iteration()).max().orElseThrow());
            lasts.put(arm, arm.runs().stream().mapToLong(r -> r.get(r.size() - 1).iteration()).min().orElseThrow());
        }
        Table atFirst = SampleAggregates.summarizeBy(snapshot(firsts), List.of(ARM, LAYER), METRICS, MEAN_OF_ALL);
        Table atLast = SampleAggregates.summarizeBy(snapshot(lasts), List.of(ARM, LAYER), METRICS, MEAN_OF_ALL);
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (ArmRuns arm : arms.values()) {
            List<String> armLayers = arm.runs().get(0).stream().map(ProbeRow::layer).distinct().toList();
            for (String layer : armLayers) {
                Table first = group(atFirst, arm.label(), layer);
                Table last = group(atLast, arm.label(), layer);
                out.append(String.join(",", quoted(arm.label()), layer,
                        Integer.toString(arm.runs().size()), Long.toString(firsts.get(arm)),
                        Long.toString(lasts.get(arm)), field(first, "p15"), field(first, "p50"), field(first, "p85"),
                        field(last, "p15"), field(last, "p50"), field(last, "p85"), field(first, "grad_norm"),
                        field(first, "weight_norm"), field(last, "bn_mean_gap"), field(last, "bn_var_ratio"),
                        field(last, "gamma_near_zero"))).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The probe rows of every arm's runs at the arm's iteration in {@code iterations} (one row per run and layer
     * that has it): columns {@value #ARM}, {@value #LAYER} and {@link #METRICS}.
     */
    private static Table snapshot(Map<ArmRuns, Long> iterations) {
        StringColumn arm = StringColumn.create(ARM);
        StringColumn layer = StringColumn.create(LAYER);
        List<DoubleColumn> metrics = METRICS.stream().map(DoubleColumn::create).toList();
        List<ToDoubleFunction<ProbeRow>> values = List.of(ProbeRow::p15, ProbeRow::p50, ProbeRow::p85,
                ProbeRow::gradientNorm, ProbeRow::weightNorm, ProbeRow::bnMeanGap, ProbeRow::bnVarRatio,
                ProbeRow::gammaNearZero);
        iterations.forEach((armRuns, iteration) -> armRuns.runs().stream().flatMap(List::stream)
                .filter(r -> r.iteration() == iteration).forEach(r -> {
                    arm.append(armRuns.label());
                    layer.append(r.layer());
                    for (int i = 0; i < metrics.size(); i++) {
                        metrics.get(i).append(values.get(i).applyAsDouble(r));
                    }
                }));
        Table t = Table.create("probe snapshot", arm, layer);
        metrics.forEach(t::addColumns);
        return t;
    }

    /** The row of {@code arm} and {@code layer} in a table summarised by arm and layer; none when it has none. */
    private static Table group(Table summarised, String arm, String layer) {
        return summarised.where(summarised.stringColumn(ARM).isEqualTo(arm)
                .and(summarised.stringColumn(LAYER).isEqualTo(layer)));
    }

    /** The group's mean of {@code metric} as a CSV field: empty when the group has no row or the mean is NaN. */
    private static String field(Table group, String metric) {
        return number(group.isEmpty() ? Double.NaN
                : group.doubleColumn(SampleAggregates.name(MEAN_OF_ALL, metric)).getDouble(0));
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
