package org.bnlab.measure;

import org.bnlab.io.AtomicFiles;
import org.bnlab.report.plot.LayerProfilePlot;
import org.bnlab.report.stats.SampleAggregates;
import org.bnlab.results.RecordFile;
import org.bnlab.results.RunFolder;
import org.bnlab.train.TrainingRecorder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Internal covariate shift as Santurkar, Tsipras, Ilyas and Madry 2018 ("How Does Batch Normalization Help
 * Optimization?", NeurIPS; arXiv 1805.11604) define it in section 2.2, Definition 2.1: for weight layer i at step t,
 * with the step's own batch (x, y) and loss L,
 * <pre>
 *   G  = dL/dW_i at (W_1(t), ..., W_k(t))
 *   G' = dL/dW_i at (W_1(t+1), ..., W_(i-1)(t+1), W_i(t), ..., W_k(t))
 * </pre>
 * that is, the gradient before and after the layers below i take this step's update while i and the layers above it
 * keep theirs; the shift is {@code ||G - G'||_2}, and their Figure 4 also plots {@code cos(G, G')} (ideally 1).
 * With {@code measure.ics_every: N} (0, the default, is off) it is measured before every N-th training step
 * (iteration 0, N, 2N, ...) at {@code measure.ics_layers} weight layers (0: all), written to {@code ics.csv}
 * ({@link #RECORDS}).
 *
 * <p>How. "Layers" are the network's vertices in topological order (for a ResNet the order the blocks were built;
 * a block's projection shortcut comes before the block's second convolution); the layers below weight layer i are
 * every vertex before it, with all their parameters (convolutions' and dense layers' weights and biases, the
 * normalizers' gamma and beta, and BN's running statistics, which a training-mode forward pass does not read).
 * W(t+1) is what the run's own step makes of W(t): the measurement keeps a copy of the network (a "shadow"
 * with the same configuration), copies the training network's parameters, updater state (momentum buffers, Adam's
 * moments) and iteration and epoch counts into it and lets it {@code fit} the batch, so the update is exactly the
 * run's (its optimizer, momentum, weight decay, learning-rate schedule, parameter groups). Then, on the shadow again,
 * G for every layer from one training-mode forward and backward pass at W(t), and for each measured layer i one more
 * pass with the vertices before i moved to W(t+1). The training network is only read, and Nd4j's random generator
 * is put back where it was: training with the measurement is bit-identical to training without it.
 *
 * <p>Gradients are of the mean data loss over the batch (DL4J's backward pass gives the sum; divided by the batch
 * size), without the weight-decay term: that term, {@code wd * W_i}, is the same in G and G' since W_i is not
 * moved, so the distance is the same with or without it (the cosine is of the data gradients).
 *
 * <p>Cost per measurement: one training step on the shadow, one gradient pass, and one gradient pass per measured
 * layer that has a layer with parameters below it (about 2 + k steps' worth of compute for k layers: ResNet-20 has
 * 21 weight layers, about 23 steps), and memory for a second copy of the network and its workspaces. So measure
 * every few hundred steps, or fewer layers with {@code measure.ics_layers}.
 *
 * <p>Its report part: for up to three of the measured layers (the first, the middle and the last of those every
 * run has, by index) {@code plots/ics-<layer>.png}, the L2 distance and the cosine against the training step, one
 * line per arm, mean over the arm's seeds at each measured step; {@value #SUMMARY_CSV} with means and sds per arm,
 * layer and step; and a table of each arm's mean over training per layer with its 95% t interval over seeds.
 */
public final class IcsMeasurement implements Measurement {

    static final String SUMMARY_CSV = "ics-summary.csv";
    static final String PLOTS = "plots/ics-";

    /**
     * One weight layer's internal covariate shift at one step.
     *
     * @param epoch         1-based epoch of the step
     * @param iteration     training steps done before this one
     * @param index         1-based position among the network's weight layers (convolutions, dense, classifier),
     *                      input to output
     * @param layer         the weight layer's vertex name
     * @param l2Distance    {@code ||G - G'||_2}, G and G' the gradients of the mean loss w.r.t. the layer's weights
     * @param cosine        {@code <G, G'> / (||G|| ||G'||)}; NaN when either is zero
     * @param gradNorm      {@code ||G||_2}
     * @param gradNormAfter {@code ||G'||_2}
     */
    public record Row(int epoch, long iteration, int index, String layer, double l2Distance, double cosine,
                      double gradNorm, double gradNormAfter) {
    }

    /** {@code ics.csv}: per measured step, the measured layers in network order. */
    public static final RecordFile<Row> RECORDS = RecordFile.of("ics.csv",
            "epoch,iteration,index,layer,l2_distance,cosine,grad_norm,grad_norm_after",
            r -> List.of(r.epoch(), r.iteration(), r.index(), r.layer(), r.l2Distance(), r.cosine(), r.gradNorm(),
                    r.gradNormAfter()),
            f -> new Row(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()), Integer.parseInt(f[2].strip()),
                    f[3].strip(), RecordFile.number(f[4]), RecordFile.number(f[5]), RecordFile.number(f[6]),
                    RecordFile.number(f[7])),
            Row::epoch);

    @Override
    public String name() {
        return "internal covariate shift";
    }

    @Override
    public Optional<TrainingRecorder> recorder(RecordingContext run) {
        int every = run.spec().measure().icsEvery();
        return every > 0 ? Optional.of(new Recorder(every, new Meter(run.spec().measure().icsLayers())))
                : Optional.empty();
    }

    /**
     * The 1-based indices of the weight layers measured out of {@code total}: all for {@code count} 0 or at least
     * {@code total - 1}, else {@code count} evenly spaced from the second to the last, the last included.
     */
    static List<Integer> chosen(int total, int count) {
        List<Integer> indices = new ArrayList<>();
        if (count == 0 || count >= total - 1) {
            for (int i = 1; i <= total; i++) {
                indices.add(i);
            }
            return indices;
        }
        for (int j = 1; j <= count; j++) {
            indices.add(1 + (int) Math.round(j * (total - 1) / (double) count));
        }
        return indices;
    }

    /**
     * Measures a training network's internal covariate shift on a shadow copy of it; keeps the shadow between
     * measurements (built on first use, again for another network).
     */
    static final class Meter {

        private final int layers;
        private ComputationGraph source;
        private ComputationGraph shadow;

        /** @param layers weight layers to measure ({@link #chosen}), 0 = all */
        Meter(int layers) {
            this.layers = layers;
        }

        /**
         * The shift at {@code net}'s current step on {@code batch} (features in the network's layout, one-hot
         * labels), the rows in network order. Reads {@code net} only, and leaves Nd4j's random generator as it was.
         *
         * @throws IllegalArgumentException if the network has no weight layer
         * @throws IllegalStateException    if DL4J left no gradient for a measured layer's weights
         */
        List<Row> measure(ComputationGraph net, DataSet batch, int epoch) {
            org.nd4j.linalg.api.rng.Random random = Nd4j.getRandom();
            long root = random.rootState();
            long node = random.nodeState();
            try {
                return onShadow(net, batch, epoch);
            } finally {
                random.setStates(root, node);
                if (shadow != null) {
                    shadow.clearLayersStates();
                }
            }
        }

        private List<Row> onShadow(ComputationGraph net, DataSet batch, int epoch) {
            List<String> order = new ArrayList<>();
            for (int v : net.topologicalSortOrder()) {
                order.add(net.getVertices()[v].getVertexName());
            }
            ComputationGraphConfiguration conf = net.getConfiguration();
            List<String> weightLayers = order.stream().filter(name -> conf.getVertices().get(name)
                    instanceof LayerVertex lv && InitGradientsMeasurement.isWeightLayer(lv.getLayerConf().getLayer()))
                    .toList();
            if (weightLayers.isEmpty()) {
                throw new IllegalArgumentException("the network has no weight layer (convolution, dense)");
            }
            Map<String, Integer> measured = new LinkedHashMap<>();
            for (int index : chosen(weightLayers.size(), layers)) {
                measured.put(weightLayers.get(index - 1), index);
            }
            if (shadow == null || source != net) {
                shadow = new ComputationGraph(conf.clone());
                shadow.init(net.params().dup(), false);
                source = net;
            }
            INDArray now = net.params();
            shadow.params().assign(now);
            ComputationGraphUpdater updater = net.getUpdater(false); // null before the first step: state all zero
            INDArray state = updater == null ? null : updater.getStateViewArray();
            INDArray shadowState = shadow.getUpdater().getStateViewArray();
            if (shadowState != null) {
                if (state != null) {
                    shadowState.assign(state);
                } else {
                    shadowState.assign(0);
                }
            }
            shadow.getConfiguration().setIterationCount(conf.getIterationCount());
            shadow.getConfiguration().setEpochCount(conf.getEpochCount());
            INDArray features = batch.getFeatures().dup();
            INDArray labels = batch.getLabels().dup();
            double images = features.size(0);

            Map<String, INDArray> before = gradients(features, labels, measured.keySet(), images);
            shadow.fit(new DataSet(features, labels));
            Map<String, Map<String, INDArray>> stepped = new HashMap<>();
            for (String name : order) {
                Map<String, INDArray> table = shadow.getVertex(name).paramTable(false);
                if (table != null && !table.isEmpty()) {
                    Map<String, INDArray> copy = new HashMap<>();
                    table.forEach((key, value) -> copy.put(key, value.dup()));
                    stepped.put(name, copy);
                }
            }
            shadow.params().assign(now);
            long iteration = conf.getIterationCount();
            List<Row> rows = new ArrayList<>();
            boolean movedBelow = false;
            for (String name : order) {
                Integer index = measured.get(name);
                if (index != null) {
                    // with nothing below moved, G' is G: the same pass at the same parameters
                    INDArray g = before.get(name);
                    INDArray gAfter = movedBelow ? gradients(features, labels, Set.of(name), images).get(name) : g;
                    rows.add(row(epoch, iteration, index, name, g, gAfter));
                }
                Map<String, INDArray> next = stepped.get(name);
                if (next != null) { // below every later layer: to W(t+1)
                    GraphVertex vertex = shadow.getVertex(name);
                    next.forEach((key, value) -> vertex.paramTable(false).get(key).assign(value));
                    movedBelow = true;
                }
            }
            return rows;
        }

        /** The shadow's gradients of the mean loss w.r.t. the weights of {@code names}, in double precision. */
        private Map<String, INDArray> gradients(INDArray features, INDArray labels, Set<String> names,
                                                double images) {
            shadow.setInputs(features);
            shadow.setLabels(labels);
            shadow.computeGradientAndScore();
            Map<String, INDArray> out = new HashMap<>();
            for (String name : names) {
                INDArray dW = shadow.gradient().getGradientFor(name + "_" + DefaultParamInitializer.WEIGHT_KEY);
                if (dW == null) {
                    throw new IllegalStateException("no gradient for the weights of " + name);
                }
                out.put(name, dW.castTo(DataType.DOUBLE).reshape(-1).divi(images));
            }
            return out;
        }

        private static Row row(int epoch, long iteration, int index, String layer, INDArray g, INDArray gAfter) {
            double norm = g.norm2Number().doubleValue();
            double normAfter = gAfter.norm2Number().doubleValue();
            double distance = g.sub(gAfter).norm2Number().doubleValue();
            double dot = g.mul(gAfter).sumNumber().doubleValue();
            double cosine = norm > 0 && normAfter > 0 ? dot / (norm * normAfter) : Double.NaN;
            return new Row(epoch, iteration, index, layer, distance, cosine, norm, normAfter);
        }
    }

    /** Measures before every {@code every}-th step on the step's batch; writes an epoch's rows after it. */
    static final class Recorder implements TrainingRecorder {

        private static final TrainingListener NONE = new BaseTrainingListener() {
        };

        private final int every;
        private final Meter meter;
        private final List<Row> rows = new ArrayList<>();
        private int epoch;

        Recorder(int every, Meter meter) {
            this.every = every;
            this.meter = meter;
        }

        @Override
        public TrainingListener listener() {
            return NONE;
        }

        @Override
        public void startEpoch(int epoch) {
            this.epoch = epoch;
            rows.clear();
        }

        @Override
        public void beforeIteration(ComputationGraph net, DataSet batch) {
            if (net.getConfiguration().getIterationCount() % every == 0) {
                rows.addAll(meter.measure(net, batch, epoch));
            }
        }

        @Override
        public void epochDone(int epoch, RunFolder folder) {
            RECORDS.writeEpoch(folder, epoch, List.copyOf(rows));
        }
    }

    @Override
    public MeasurementReport report(String experiment, List<MeasuredRun> runs) {
        StringColumn arm = StringColumn.create("arm");
        StringColumn run = StringColumn.create("run");
        IntColumn index = IntColumn.create("index");
        StringColumn layer = StringColumn.create("layer");
        LongColumn iteration = LongColumn.create("iteration");
        DoubleColumn distance = DoubleColumn.create("l2_distance");
        DoubleColumn cosine = DoubleColumn.create("cosine");
        List<String> arms = new ArrayList<>();
        Set<Integer> common = null;
        Map<Integer, String> names = new HashMap<>();
        for (MeasuredRun r : runs) {
            List<Row> records = RECORDS.read(r.folder());
            if (records.isEmpty()) {
                continue;
            }
            if (!arms.contains(r.arm())) {
                arms.add(r.arm());
            }
            Set<Integer> indices = new TreeSet<>();
            for (Row row : records) {
                arm.append(r.arm());
                run.append(r.run());
                index.append(row.index());
                layer.append(row.layer());
                iteration.append(row.iteration());
                distance.append(row.l2Distance());
                cosine.append(row.cosine());
                indices.add(row.index());
                names.putIfAbsent(row.index(), row.layer());
            }
            if (common == null) {
                common = indices;
            } else {
                common.retainAll(indices);
            }
        }
        if (arms.isEmpty()) {
            return MeasurementReport.NONE;
        }
        List<Integer> shared = new ArrayList<>(common);
        List<Integer> plotted = shared.size() <= 3 ? shared
                : List.of(shared.get(0), shared.get(shared.size() / 2), shared.get(shared.size() - 1));
        Table rows = Table.create("ics", arm, run, index, layer, iteration, distance, cosine);
        Table bySteps = SampleAggregates.summarizeBy(rows, List.of("arm", "index", "iteration"),
                List.of("l2_distance", "cosine"), SampleAggregates.MEAN, SampleAggregates.SD, SampleAggregates.N);
        // each run's mean over its measured steps, then over the arm's seeds with an interval
        Table perRun = SampleAggregates.summarizeBy(rows, List.of("arm", "run", "index"),
                List.of("l2_distance", "cosine"), SampleAggregates.MEAN);
        perRun.column(SampleAggregates.name(SampleAggregates.MEAN, "l2_distance")).setName("l2_distance");
        perRun.column(SampleAggregates.name(SampleAggregates.MEAN, "cosine")).setName("cosine");
        Table byArm = SampleAggregates.summarizeBy(perRun, List.of("arm", "index"), List.of("l2_distance", "cosine"),
                SampleAggregates.MEAN, SampleAggregates.CI_LOW, SampleAggregates.CI_HIGH, SampleAggregates.N);
        Map<Integer, String> plottedNames = new LinkedHashMap<>();
        plotted.forEach(i -> plottedNames.put(i, names.get(i)));
        return new Part(experiment, arms, plottedNames, bySteps, byArm);
    }

    /** The report part over the arms' summarised rows. */
    private record Part(String experiment, List<String> arms, Map<Integer, String> plotted, Table bySteps,
                        Table byArm) implements MeasurementReport {

        private static final String L2 = "l2_distance";
        private static final String COS = "cosine";

        private static String mean(String column) {
            return SampleAggregates.name(SampleAggregates.MEAN, column);
        }

        @Override
        public List<String> writeTo(Path dir) {
            StringBuilder csv = new StringBuilder("arm,index,iteration,runs,l2_distance_mean,l2_distance_sd,"
                    + "cosine_mean,cosine_sd\n");
            Table sorted = bySteps.sortAscendingOn("index", "iteration");
            for (String arm : arms) {
                Table t = sorted.where(sorted.stringColumn("arm").isEqualTo(arm));
                for (int i = 0; i < t.rowCount(); i++) {
                    csv.append(String.join(",", LayerResponsesMeasurement.quoted(arm),
                            Integer.toString(t.intColumn("index").get(i)),
                            Long.toString(t.longColumn("iteration").get(i)),
                            Integer.toString(t.intColumn(SampleAggregates.name(SampleAggregates.N, L2)).get(i)),
                            number(t, mean(L2), i), number(t, SampleAggregates.name(SampleAggregates.SD, L2), i),
                            number(t, mean(COS), i), number(t, SampleAggregates.name(SampleAggregates.SD, COS), i)))
                            .append('\n');
                }
            }
            AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), csv.toString());
            List<String> plots = new ArrayList<>();
            for (Map.Entry<Integer, String> layer : plotted.entrySet()) {
                List<LayerProfilePlot.Line> distances = new ArrayList<>();
                List<LayerProfilePlot.Line> cosines = new ArrayList<>();
                for (String arm : arms) {
                    Table t = sorted.where(sorted.stringColumn("arm").isEqualTo(arm)
                            .and(sorted.intColumn("index").isEqualTo(layer.getKey())));
                    if (t.rowCount() == 0) {
                        continue;
                    }
                    double[] steps = t.longColumn("iteration").asDoubleArray();
                    int seeds = t.intColumn(SampleAggregates.name(SampleAggregates.N, L2)).get(0);
                    String label = arm + (seeds == 1 ? "" : " (" + seeds + " seeds)");
                    distances.add(new LayerProfilePlot.Line(label, steps, t.doubleColumn(mean(L2)).asDoubleArray()));
                    cosines.add(new LayerProfilePlot.Line(label, steps, t.doubleColumn(mean(COS)).asDoubleArray()));
                }
                String png = PLOTS + layer.getValue() + ".png";
                LayerProfilePlot.write(dir.resolve(png), experiment + ": internal covariate shift at weight layer "
                        + layer.getKey() + " (" + layer.getValue() + "), mean over seeds", List.of(
                        new LayerProfilePlot.Panel("L2 distance (ideally 0)", "training step",
                                "||G - G'||", distances),
                        new LayerProfilePlot.Panel("cosine (ideally 1)", "training step", "cos(G, G')", cosines)));
                plots.add(png);
            }
            return plots;
        }

        private static String number(Table t, String column, int row) {
            return LayerResponsesMeasurement.number(t.doubleColumn(column).getDouble(row));
        }

        @Override
        public String markdown() {
            StringBuilder md = new StringBuilder("\n## Internal covariate shift\n\nSanturkar et al. 2018, Definition "
                    + "2.1 and Figure 4: per weight layer, on the step's own batch, the gradient of the loss w.r.t. "
                    + "its weights before (G) and after (G') the layers below it take the step's update "
                    + "(`<run>/ics.csv`). Plotted over training for the layers "
                    + String.join(", ", plotted.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue()
                    + ")").toList()) + ", mean over seeds; per arm, layer and step: `" + SUMMARY_CSV + "`. Each "
                    + "run's mean over its measured steps, then the mean over the arm's seeds with its 95% t "
                    + "interval:\n\n| arm | layer | runs | L2 distance | 95% CI | cosine | 95% CI |\n"
                    + "|---|---|---|---|---|---|---|\n");
            for (String arm : arms) {
                for (Map.Entry<Integer, String> layer : plotted.entrySet()) {
                    Table t = byArm.where(byArm.stringColumn("arm").isEqualTo(arm)
                            .and(byArm.intColumn("index").isEqualTo(layer.getKey())));
                    if (t.rowCount() == 0) {
                        continue;
                    }
                    md.append("| ").append(arm).append(" | ").append(layer.getKey()).append(" ")
                            .append(layer.getValue()).append(" | ")
                            .append(t.intColumn(SampleAggregates.name(SampleAggregates.N, L2)).getInt(0))
                            .append(" | ").append(cell(t, L2)).append(" | ").append(cell(t, COS)).append(" |\n");
                }
            }
            return md.toString();
        }

        /** The mean and the interval cells of {@code column}. */
        private static String cell(Table t, String column) {
            double low = t.doubleColumn(SampleAggregates.name(SampleAggregates.CI_LOW, column)).getDouble(0);
            double high = t.doubleColumn(SampleAggregates.name(SampleAggregates.CI_HIGH, column)).getDouble(0);
            return LayerResponsesMeasurement.number(t.doubleColumn(mean(column)).getDouble(0)) + " | "
                    + (Double.isNaN(low) ? "" : LayerResponsesMeasurement.number(low) + " to "
                    + LayerResponsesMeasurement.number(high));
        }
    }
}
