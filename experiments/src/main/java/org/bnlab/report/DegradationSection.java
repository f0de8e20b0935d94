package org.bnlab.report;

import org.bnlab.io.AtomicFiles;
import org.bnlab.report.plot.DegradationPlot;
import org.bnlab.report.stats.IntervalText;
import org.bnlab.report.stats.MeanDifference;
import org.bnlab.report.stats.SampleSummary;
import org.bnlab.results.EpochMetrics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The degradation problem (He et al. 2016, section 4.2, Fig. 6), in a report whose runs vary {@code model.depth} and
 * include plain networks ({@code model.shortcut: none}) and ResNets: the plot {@value #PLOT} (error by epoch, plain
 * left, ResNets right), the final training and test error per network and depth over seeds ({@value #CSV}: mean, sd,
 * n and 95% Student t interval), and per network the deepest minus the shallowest with its 95% Welch interval
 * ({@value #CONTRASTS_CSV}), from which the section answers whether deeper plain networks end with higher training
 * error and deeper ResNets with lower: a difference is claimed only where its interval excludes zero.
 *
 * <p>Errors are in percent (100 minus accuracy) at each run's last epoch; a diverged run has no final error and is
 * counted in {@code diverged}. Settings other than depth, shortcut and seed that vary keep their arms apart (a
 * column each). Nothing is written, and the section is empty, for other experiments.
 */
record DegradationSection(ExperimentReport report) implements ReportSection {

    static final String PLOT = "degradation.png";
    static final String CSV = "degradation.csv";
    static final String CONTRASTS_CSV = "degradation-contrasts.csv";

    private static final String DEPTH = "model.depth";
    private static final String SHORTCUT = "model.shortcut";
    private static final String PLAIN = "none";

    /** The runs of one network (a shortcut kind and the values of the other varying settings), by depth. */
    private record Network(String shortcut, Map<String, String> others, TreeMap<Integer, List<ReportRun>> depths) {

        String name() {
            return shortcut.equals(PLAIN) ? "plain" : "resnet (" + shortcut + ")";
        }

        String label() {
            return others.isEmpty() ? name() : name() + ", " + String.join(", ", others.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }

    /** Whether the runs vary depth and have plain networks beside residual ones. */
    boolean applies() {
        ResultsFolder folder = report.folder();
        if (!folder.varying().contains(DEPTH) || !folder.varying().contains(SHORTCUT)) {
            return false;
        }
        List<String> kinds = folder.runs().stream().map(r -> r.value(SHORTCUT)).distinct().toList();
        return kinds.contains(PLAIN) && kinds.size() > 1;
    }

    private List<String> others() {
        return report.folder().varying().stream()
                .filter(p -> !p.equals(DEPTH) && !p.equals(SHORTCUT) && !p.equals(ResultsFolder.SEED)).toList();
    }

    /** Plain networks first, then the ResNets by shortcut; within a kind by the other settings' values. */
    private List<Network> networks() {
        ResultsFolder folder = report.folder();
        Map<String, Network> byLabel = new TreeMap<>(Comparator
                .comparing((String key) -> !key.startsWith(PLAIN + "\u0000")).thenComparing(Comparator.naturalOrder()));
        for (ReportRun run : folder.runs()) {
            Map<String, String> others = new LinkedHashMap<>();
            others().forEach(p -> others.put(folder.shortName(p), run.value(p)));
            String shortcut = run.value(SHORTCUT);
            String key = shortcut + "\u0000" + others;
            byLabel.computeIfAbsent(key, k -> new Network(shortcut, others, new TreeMap<>()))
                    .depths().computeIfAbsent(Integer.parseInt(run.value(DEPTH)), d -> new ArrayList<>()).add(run);
        }
        return List.copyOf(byLabel.values());
    }

    /** The epochs a run finished before it diverged, if it did (the diverged epoch is not a trained result). */
    private static List<EpochMetrics> trained(ReportRun run) {
        Integer diverged = run.finished().summary().divergedEpoch();
        return run.finished().epochs().stream().filter(e -> diverged == null || e.epoch() < diverged)
                .sorted(Comparator.comparingInt(EpochMetrics::epoch)).toList();
    }

    /** Final errors (%) of the runs that did not diverge, one per seed. */
    private static double[] finalErrors(List<ReportRun> runs, ToDoubleFunction<EpochMetrics> error) {
        return runs.stream().filter(r -> !r.diverged()).map(DegradationSection::trained).filter(e -> !e.isEmpty())
                .mapToDouble(e -> error.applyAsDouble(e.get(e.size() - 1))).toArray();
    }

    /** Deepest minus shallowest of one network, for the training ({@code train}) or the test error. */
    private record Contrast(Network network, String error, int deeper, int shallower, MeanDifference difference) {

        String finding() {
            if (difference.includesZero()) {
                return "no difference shown";
            }
            return difference.difference() > 0 ? "deeper is higher" : "deeper is lower";
        }
    }

    /** Per network with two depths or more, the training then the test error's contrast. */
    private List<Contrast> depthContrasts() {
        List<Contrast> out = new ArrayList<>();
        for (Network n : networks()) {
            if (n.depths().size() < 2) {
                continue;
            }
            int deepest = n.depths().lastKey();
            int shallowest = n.depths().firstKey();
            for (String kind : List.of("train", "test")) {
                ToDoubleFunction<EpochMetrics> f = kind.equals("train") ? DegradationPlot::trainError
                        : DegradationPlot::testError;
                out.add(new Contrast(n, kind, deepest, shallowest, MeanDifference.of(
                        finalErrors(n.depths().get(deepest), f), finalErrors(n.depths().get(shallowest), f))));
            }
        }
        return out;
    }

    /** One row per network and depth: final training and test error over seeds. */
    Table errors() {
        List<String> others = others().stream().map(report.folder()::shortName).toList();
        StringColumn network = StringColumn.create("network");
        List<StringColumn> otherColumns = others.stream().map(StringColumn::create).toList();
        IntColumn depth = IntColumn.create("depth");
        IntColumn runs = IntColumn.create(OverSeedsTable.RUNS);
        IntColumn diverged = IntColumn.create(OverSeedsTable.DIVERGED);
        Table table = Table.create("degradation", network);
        otherColumns.forEach(table::addColumns);
        table.addColumns(depth, runs, diverged);
        SummaryColumns train = SummaryColumns.addTo(table, "train_error");
        SummaryColumns test = SummaryColumns.addTo(table, "test_error");
        for (Network n : networks()) {
            n.depths().forEach((d, list) -> {
                network.append(n.name());
                for (int i = 0; i < others.size(); i++) {
                    otherColumns.get(i).append(n.others().get(others.get(i)));
                }
                depth.append(d);
                runs.append(list.size());
                diverged.append((int) list.stream().filter(ReportRun::diverged).count());
                train.append(SampleSummary.of(finalErrors(list, DegradationPlot::trainError)));
                test.append(SampleSummary.of(finalErrors(list, DegradationPlot::testError)));
            });
        }
        return table;
    }

    /** Per network with two depths or more: deepest minus shallowest, for the training and the test error. */
    Table contrasts() {
        StringColumn network = StringColumn.create("network");
        IntColumn deeper = IntColumn.create("deeper");
        IntColumn shallower = IntColumn.create("shallower");
        StringColumn error = StringColumn.create("error");
        DoubleColumn difference = DoubleColumn.create("difference");
        DoubleColumn low = DoubleColumn.create("ci_low");
        DoubleColumn high = DoubleColumn.create("ci_high");
        IntColumn nDeeper = IntColumn.create("n_deeper");
        IntColumn nShallower = IntColumn.create("n_shallower");
        StringColumn finding = StringColumn.create("finding");
        for (Contrast c : depthContrasts()) {
            MeanDifference d = c.difference();
            network.append(c.network().label());
            deeper.append(c.deeper());
            shallower.append(c.shallower());
            error.append(c.error());
            difference.append(Numbers.round4(d.difference()));
            low.append(Numbers.round4(d.ciLow()));
            high.append(Numbers.round4(d.ciHigh()));
            nDeeper.append(d.nA());
            nShallower.append(d.nB());
            finding.append(c.finding());
        }
        return Table.create("degradation contrasts", network, deeper, shallower, error, difference, low, high,
                nDeeper, nShallower, finding);
    }

    /** The columns of one error's summary over seeds, {@code <prefix>_mean, _sd, _n, _ci_low, _ci_high}. */
    private record SummaryColumns(DoubleColumn mean, DoubleColumn sd, IntColumn n, DoubleColumn low,
                                  DoubleColumn high) {

        static SummaryColumns addTo(Table table, String prefix) {
            SummaryColumns c = new SummaryColumns(DoubleColumn.create(prefix + "_mean"),
                    DoubleColumn.create(prefix + "_sd"), IntColumn.create(prefix + "_n"),
                    DoubleColumn.create(prefix + "_ci_low"), DoubleColumn.create(prefix + "_ci_high"));
            table.addColumns(c.mean, c.sd, c.n, c.low, c.high);
            return c;
        }

        void append(SampleSummary s) {
            mean.append(Numbers.round4(s.mean()));
            sd.append(Numbers.round4(s.sd()));
            n.append(s.n());
            low.append(Numbers.round4(s.ciLow()));
            high.append(Numbers.round4(s.ciHigh()));
        }
    }

    @Override
    public List<String> writeTo(Path dir) {
        if (!applies()) {
            return List.of();
        }
        AtomicFiles.writeString(dir.resolve(CSV), CsvTable.csv(errors()));
        AtomicFiles.writeString(dir.resolve(CONTRASTS_CSV), CsvTable.csv(contrasts()));
        List<DegradationPlot.Panel> panels = new ArrayList<>();
        for (Network n : networks()) {
            Map<Integer, List<List<EpochMetrics>>> depths = new TreeMap<>();
            n.depths().forEach((d, runs) -> depths.put(d, runs.stream().map(DegradationSection::trained).toList()));
            panels.add(new DegradationPlot.Panel(n.label(), depths));
        }
        DegradationPlot.write(dir.resolve(ReportPlots.FOLDER).resolve(PLOT), report.folder().name()
                + ": training error (dashed) and test error (bold) by depth, as He et al. 2016, Fig. 6", panels);
        return List.of(ReportPlots.FOLDER + "/" + PLOT);
    }

    @Override
    public String markdown(List<String> plots) {
        if (!applies()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Degradation: plain networks against ResNets by depth\n\n");
        md.append("He et al. 2016 (section 4.2, Fig. 6): deeper plain networks have higher training and test error, "
                + "deeper ResNets lower. Final error (%) = 100 minus the accuracy at each run's last epoch (training "
                + "error on the epoch's training batches); mean, sd, n and 95% Student t interval over seeds (`"
                + CSV + "`); plot `" + ReportPlots.FOLDER + "/" + PLOT + "`.\n\n");
        md.append(MarkdownTable.render(errors())).append('\n');
        if (contrasts().isEmpty()) {
            return md.append("Each network has one depth only: no deeper-minus-shallower contrast.\n\n").toString();
        }
        md.append("Deepest minus shallowest, in points of error with the 95% Welch interval (`")
                .append(CONTRASTS_CSV).append("`):\n\n");
        List<Contrast> all = depthContrasts();
        for (Contrast c : all) {
            md.append("- ").append(c.network().label()).append(", ").append(c.error().equals("train") ? "training"
                    : "test").append(" error, ").append(c.deeper()).append(" minus ").append(c.shallower())
                    .append(" layers: ").append(IntervalText.describe(c.difference(), "points", 2)).append(": ")
                    .append(c.finding()).append('\n');
        }
        md.append('\n').append(answer(all)).append("\n\n");
        return md.toString();
    }

    /** The answer to the paper's two claims, from the training-error contrasts. */
    private static String answer(List<Contrast> contrasts) {
        List<String> plain = new ArrayList<>();
        List<String> residual = new ArrayList<>();
        for (Contrast c : contrasts) {
            if (c.error().equals("train")) {
                (c.network().shortcut().equals(PLAIN) ? plain : residual).add(c.finding());
            }
        }
        return "**Answer.** Deeper plain networks end with higher training error: "
                + claim(plain, "deeper is higher") + ". Deeper ResNets end with lower training error (the opposite): "
                + claim(residual, "deeper is lower") + ".";
    }

    private static String claim(List<String> findings, String expected) {
        if (findings.isEmpty()) {
            return "not measured (one depth only)";
        }
        if (findings.stream().allMatch(expected::equals)) {
            return "yes, the interval excludes zero";
        }
        if (findings.stream().anyMatch(f -> f.startsWith("deeper") && !f.equals(expected))) {
            return "no, the opposite (the interval excludes zero)";
        }
        return findings.stream().anyMatch(expected::equals) ? "in part (not in every arm)"
                : "not shown (the interval includes zero)";
    }
}
