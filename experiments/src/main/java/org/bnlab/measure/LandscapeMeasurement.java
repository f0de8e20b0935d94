package org.bnlab.measure;

import org.bnlab.io.AtomicFiles;
import org.bnlab.report.plot.BandPlot;
import org.bnlab.report.stats.SampleAggregates;
import org.bnlab.results.RecordFile;
import org.bnlab.results.RunFolder;
import org.bnlab.train.TrainingRecorder;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The smoothness of the loss landscape along the gradient, Santurkar et al. 2018 ("How does batch normalization
 * help optimization?"), section 3.1 and Figure 4: "at a particular training step, we measure the variation in loss
 * (a) and l2 changes in the gradient (b) as we move in the gradient direction. The effective beta-smoothness (c)
 * refers to the maximum difference (in l2-norm) in gradient over distance moved in that direction."
 *
 * <p>With {@code measure.landscape_every: N > 0}, before every N-th training step (iterations 0, N, 2N, ...), on
 * the step's own batch: w the parameters, L the mean cross-entropy over the batch (no weight-decay term: the
 * optimizer adds that) with BN in training mode (the batch's statistics, as the step itself computes it), g the
 * gradient of L at w with respect to the trainable parameters (not BN's running mean and variance, which only the
 * step's update moves). For each step size eta = m x (the learning rate at this step, of the first weight layer's
 * weights) for m in {@code measure.landscape_steps}: the loss L(w - eta g), the gradient change
 * ||g - grad L(w - eta g)||_2 over all trainable parameters, and the effective beta-smoothness, that change divided
 * by the distance moved ||eta g||_2. Written to {@code landscape.csv} ({@link #RECORDS}), one row per step size.
 *
 * <p>Nothing of the training changes: the listeners are detached, the parameters (BN's running statistics with
 * them) are copied before and written back afterwards, as are the updater state and the iteration and epoch counts,
 * and the layer states are cleared. It costs 1 + (number of step sizes) forward and backward passes per
 * measurement, about as many training steps.
 *
 * <p>Its report part: {@code plots/landscape.png}, the paper's Figure 4 over training steps with one colour per arm
 * and the mean over the arm's seeds at each measured step: (a) the band between the smallest and largest loss over
 * the step sizes, (b) the band between the smallest and largest gradient change, (c) the largest effective
 * beta-smoothness; {@code landscape-summary.csv} with those means per arm and step; and a table of each arm's
 * means over training (loss range, largest gradient change, largest beta) with 95% intervals over seeds and their
 * ratio to the first arm, paired by seed.
 */
public final class LandscapeMeasurement implements Measurement {

    /**
     * The interval that keeps the measurement within 5% of the training time with the default four step sizes
     * (a measurement costs about 5.4 training steps of batch 128 on the 2-core AMD EPYC machine; {@code scripts/benchmark}'s {@code train+landscape} rows
     * measure it): what the ready experiments use, not a default ({@code measure.landscape_every} is off unless set).
     */
    public static final int BUDGETED_EVERY = 125;

    static final String SUMMARY_CSV = "landscape-summary.csv";
    static final String PLOT = "plots/landscape.png";

    /**
     * One step size at one measured step.
     *
     * @param epoch          1-based epoch
     * @param iteration      training steps done before this one
     * @param learningRate   the learning rate of this step (first weight layer's weights)
     * @param multiple       the step size as a multiple of {@code learningRate}
     * @param stepSize       eta = multiple x learningRate
     * @param loss           L(w), the mean loss over the batch at the current parameters
     * @param gradientNorm   ||g||_2, g = grad L(w) over the trainable parameters
     * @param stepLoss       L(w - eta g)
     * @param gradientChange ||g - grad L(w - eta g)||_2
     * @param beta           gradientChange / ||eta g||_2 (NaN when the distance is 0)
     */
    public record Row(int epoch, long iteration, double learningRate, double multiple, double stepSize, double loss,
                      double gradientNorm, double stepLoss, double gradientChange, double beta) {
    }

    /** {@code landscape.csv}: per measured step, one row per step size, in the order of the settings. */
    public static final RecordFile<Row> RECORDS = RecordFile.of("landscape.csv",
            "epoch,iteration,learning_rate,multiple,step_size,loss,gradient_norm,step_loss,gradient_change,beta",
            r -> List.of(r.epoch(), r.iteration(), r.learningRate(), r.multiple(), r.stepSize(), r.loss(),
                    r.gradientNorm(), r.stepLoss(), r.gradientChange(), r.beta()),
            f -> new Row(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()), RecordFile.number(f[2]),
                    RecordFile.number(f[3]), RecordFile.number(f[4]), RecordFile.number(f[5]),
                    RecordFile.number(f[6]), RecordFile.number(f[7]), RecordFile.number(f[8]),
                    RecordFile.number(f[9])),
            Row::epoch);

    @Override
    public String name() {
        return "loss landscape";
    }

    @Override
    public Optional<TrainingRecorder> recorder(RecordingContext run) {
        int every = run.spec().measure().landscapeEvery();
        return every > 0 ? Optional.of(new Recorder(every, run.spec().measure().landscapeSteps()))
                : Optional.empty();
    }

    /**
     * The landscape along the gradient at {@code net}'s current parameters on {@code batch} (features in the
     * network's layout, one-hot labels), one row per multiple, in order; {@code net} is left exactly as found.
     *
     * @param multiples step sizes as multiples of the current learning rate, each > 0
     * @throws IllegalArgumentException if the network has no trainable parameter
     */
    public static List<Row> measure(ComputationGraph net, DataSet batch, List<Double> multiples, int epoch,
                                    long iteration) {
        Collection<TrainingListener> listeners = new ArrayList<>(net.getListeners() == null ? List.of()
                : net.getListeners());
        int iterations = net.getConfiguration().getIterationCount();
        int epochs = net.getConfiguration().getEpochCount();
        Map<String, IUpdater> trainable = trainable(net);
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the network has no trainable parameter");
        }
        double learningRate = trainable.values().iterator().next().getLearningRate(iterations, epochs);
        INDArray params = net.params().dup();
        ComputationGraphUpdater updater = net.getUpdater(false);
        INDArray updaterState = updater == null || updater.getStateViewArray() == null ? null
                : updater.getStateViewArray().dup();
        net.setListeners(List.of());
        try {
            net.setInputs(batch.getFeatures());
            net.setLabels(batch.getLabels());
            double images = batch.getFeatures().size(0);
            Map<String, INDArray> g = new LinkedHashMap<>();
            double loss = lossAndGradient(net, trainable.keySet(), images, g);
            double gradientNorm = norm(g, null);
            Map<String, INDArray> paramTable = net.paramTable();
            List<Row> rows = new ArrayList<>();
            for (double multiple : multiples) {
                double eta = multiple * learningRate;
                net.setParams(params);
                for (Map.Entry<String, INDArray> e : g.entrySet()) {
                    paramTable.get(e.getKey()).subi(e.getValue().mul(eta));
                }
                Map<String, INDArray> moved = new LinkedHashMap<>();
                double stepLoss = lossAndGradient(net, trainable.keySet(), images, moved);
                double change = norm(moved, g);
                double distance = Math.abs(eta) * gradientNorm;
                rows.add(new Row(epoch, iteration, learningRate, multiple, eta, loss, gradientNorm, stepLoss, change,
                        distance > 0 ? change / distance : Double.NaN));
            }
            return rows;
        } finally {
            net.setParams(params);
            if (updaterState != null) {
                updater.getStateViewArray().assign(updaterState);
            }
            net.getConfiguration().setIterationCount(iterations);
            net.getConfiguration().setEpochCount(epochs);
            net.clearLayersStates();
            net.setListeners(listeners);
        }
    }

    /**
     * The parameters an update moves by their gradient, as {@code layer_param} (the keys of
     * {@link ComputationGraph#paramTable()}) with their updaters, in network order: those whose updater is not
     * {@link NoOp} (BN's running mean and variance have a NoOp updater, so do frozen parameters).
     */
    private static Map<String, IUpdater> trainable(ComputationGraph net) {
        Map<String, IUpdater> trainable = new LinkedHashMap<>();
        for (Layer layer : net.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            for (String key : layer.paramTable().keySet()) {
                IUpdater updater = conf.getUpdaterByParam(key);
                if (updater != null && !(updater instanceof NoOp)) {
                    trainable.put(conf.getLayerName() + "_" + key, updater);
                }
            }
        }
        // the learning rate is read from the first weight layer's weights where there is one
        Optional<String> weights = trainable.keySet().stream().filter(k -> k.endsWith("_W")).findFirst();
        if (weights.isPresent()) {
            Map<String, IUpdater> ordered = new LinkedHashMap<>();
            ordered.put(weights.get(), trainable.get(weights.get()));
            ordered.putAll(trainable);
            return ordered;
        }
        return trainable;
    }

    /**
     * One training-mode forward and backward pass at the current parameters: the mean data loss over the batch, and
     * into {@code gradient} the mean loss's gradient (copies) for the {@code trainable} parameters. DL4J's score adds
     * the weight-decay term and its gradients are of the loss summed over the batch (its updater divides).
     */
    private static double lossAndGradient(ComputationGraph net, Collection<String> trainable, double images,
                                          Map<String, INDArray> gradient) {
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        for (String key : trainable) {
            INDArray dW = g.getGradientFor(key);
            if (dW == null) {
                throw new IllegalStateException("no gradient for " + key);
            }
            gradient.put(key, dW.div(images));
        }
        return net.score() - net.calcRegularizationScore(true);
    }

    /** ||a - b||_2 over all parameters ({@code b} null: ||a||_2), accumulated in double. */
    private static double norm(Map<String, INDArray> a, Map<String, INDArray> b) {
        double sum = 0;
        for (Map.Entry<String, INDArray> e : a.entrySet()) {
            INDArray d = b == null ? e.getValue() : e.getValue().sub(b.get(e.getKey()));
            double n = d.norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    /** Measures before every {@code every}-th step on the step's batch; writes each epoch's rows. */
    static final class Recorder implements TrainingRecorder {

        private static final TrainingListener NONE = new BaseTrainingListener() {
        };

        private final int every;
        private final List<Double> multiples;
        private final List<Row> rows = new ArrayList<>();
        private int epoch;

        Recorder(int every, List<Double> multiples) {
            this.every = every;
            this.multiples = List.copyOf(multiples);
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
            long iteration = net.getConfiguration().getIterationCount();
            if (iteration % every == 0) {
                rows.addAll(measure(net, batch, multiples, epoch, iteration));
            }
        }

        @Override
        public void epochDone(int epoch, RunFolder folder) {
            RECORDS.writeEpoch(folder, epoch, List.copyOf(rows));
        }
    }

    /** A measured step of one run reduced over its step sizes. */
    private record Step(long iteration, double lossMin, double lossMax, double changeMin, double changeMax,
                        double betaMax) {

        static List<Step> of(List<Row> rows) {
            Map<Long, List<Row>> byIteration = new LinkedHashMap<>();
            rows.forEach(r -> byIteration.computeIfAbsent(r.iteration(), i -> new ArrayList<>()).add(r));
            List<Step> steps = new ArrayList<>();
            byIteration.forEach((iteration, rs) -> steps.add(new Step(iteration,
                    rs.stream().mapToDouble(Row::stepLoss).min().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::stepLoss).max().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::gradientChange).min().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::gradientChange).max().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::beta).filter(b -> !Double.isNaN(b)).max().orElse(Double.NaN))));
            return steps;
        }
    }

    static final List<String> QUANTITIES = List.of("loss_min", "loss_max", "change_min", "change_max", "beta_max");
    /** The per-run summaries over training the answer compares (means over the measured steps). */
    static final List<String> OVER_TRAINING = List.of("loss_range", "change_max", "beta_max");

    @Override
    public MeasurementReport report(String experiment, List<MeasuredRun> runs) {
        StringColumn arm = StringColumn.create("arm");
        LongColumn iteration = LongColumn.create("iteration");
        List<DoubleColumn> values = QUANTITIES.stream().map(DoubleColumn::create).toList();
        StringColumn runArm = StringColumn.create("arm");
        LongColumn runSeed = LongColumn.create("seed");
        List<DoubleColumn> perRun = OVER_TRAINING.stream().map(DoubleColumn::create).toList();
        List<String> arms = new ArrayList<>();
        for (MeasuredRun run : runs) {
            List<Step> steps = Step.of(RECORDS.read(run.folder()));
            if (steps.isEmpty()) {
                continue;
            }
            if (!arms.contains(run.arm())) {
                arms.add(run.arm());
            }
            for (Step s : steps) {
                arm.append(run.arm());
                iteration.append(s.iteration());
                double[] v = {s.lossMin(), s.lossMax(), s.changeMin(), s.changeMax(), s.betaMax()};
                for (int i = 0; i < v.length; i++) {
                    values.get(i).append(v[i]);
                }
            }
            runArm.append(run.arm());
            runSeed.append(run.spec() == null ? runSeed.size() : run.spec().seed());
            perRun.get(0).append(steps.stream().mapToDouble(s -> s.lossMax() - s.lossMin()).average().orElseThrow());
            perRun.get(1).append(steps.stream().mapToDouble(Step::changeMax).average().orElseThrow());
            perRun.get(2).append(steps.stream().mapToDouble(Step::betaMax).average().orElseThrow());
        }
        if (arms.isEmpty()) {
            return MeasurementReport.NONE;
        }
        Table steps = Table.create("landscape", arm, iteration);
        values.forEach(steps::addColumns);
        Table byStep = SampleAggregates.summarizeBy(steps, List.of("arm", "iteration"), QUANTITIES,
                SampleAggregates.MEAN, SampleAggregates.N);
        Table runTable = Table.create("runs", runArm, runSeed);
        perRun.forEach(runTable::addColumns);
        return new Part(experiment, arms, byStep, runTable);
    }

    /** The report part over the arms' summarised steps and the runs' means over training. */
    private record Part(String experiment, List<String> arms, Table byStep, Table runs) implements MeasurementReport {

        private double[] column(Table t, String quantity) {
            return t.doubleColumn(SampleAggregates.name(SampleAggregates.MEAN, quantity)).asDoubleArray();
        }

        @Override
        public List<String> writeTo(Path dir) {
            StringBuilder csv = new StringBuilder("arm,iteration,runs,loss_min_mean,loss_max_mean,"
                    + "gradient_change_min_mean,gradient_change_max_mean,beta_max_mean\n");
            List<BandPlot.Series> loss = new ArrayList<>();
            List<BandPlot.Series> change = new ArrayList<>();
            List<BandPlot.Series> beta = new ArrayList<>();
            for (String a : arms) {
                Table t = byStep.where(byStep.stringColumn("arm").isEqualTo(a)).sortAscendingOn("iteration");
                IntColumn n = t.intColumn(SampleAggregates.name(SampleAggregates.N, QUANTITIES.get(0)));
                for (int i = 0; i < t.rowCount(); i++) {
                    List<String> fields = new ArrayList<>(List.of(LayerResponsesMeasurement.quoted(a),
                            Long.toString(t.longColumn("iteration").get(i)), Integer.toString(n.get(i))));
                    for (String q : QUANTITIES) {
                        fields.add(LayerResponsesMeasurement.number(column(t, q)[i]));
                    }
                    csv.append(String.join(",", fields)).append('\n');
                }
                double[] x = t.longColumn("iteration").asDoubleArray();
                int seeds = n.get(0);
                String label = a + (seeds == 1 ? "" : " (" + seeds + " seeds)");
                loss.add(new BandPlot.Series(label, x, column(t, "loss_min"), column(t, "loss_max")));
                change.add(new BandPlot.Series(label, x, column(t, "change_min"), column(t, "change_max")));
                double[] b = column(t, "beta_max");
                beta.add(new BandPlot.Series(label, x, b, b));
            }
            AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), csv.toString());
            BandPlot.write(dir.resolve(PLOT), experiment + ": the landscape along the gradient (Santurkar et al. "
                    + "2018, Fig. 4), range over the step sizes, mean over seeds", List.of(
                    new BandPlot.Panel("(a) loss landscape", "training step", "loss L(w - eta g)", loss),
                    new BandPlot.Panel("(b) gradient predictiveness", "training step",
                            "||g - grad L(w - eta g)||", change),
                    new BandPlot.Panel("(c) effective beta-smoothness", "training step",
                            "max ||g - grad L(w - eta g)|| / ||eta g||", beta)));
            return List.of(PLOT);
        }

        @Override
        public String markdown() {
            StringBuilder md = new StringBuilder("\n## Loss landscape\n\nAlong the gradient at every measured step, "
                    + "on the step's batch, for each step size of `measure.landscape_steps` (multiples of the "
                    + "learning rate): the loss, the gradient change and the effective beta-smoothness "
                    + "(`<run>/landscape.csv`; Santurkar et al. 2018, section 3.1, Fig. 4). Plotted: the range over "
                    + "the step sizes as a band over training, mean over seeds; per arm and step: `" + SUMMARY_CSV
                    + "`.\n\nMeans over the measured steps of each run (loss range = largest minus smallest loss over "
                    + "the step sizes; largest gradient change; largest beta), mean over seeds with 95% interval:\n\n"
                    + "| arm | runs | loss range | largest gradient change | largest beta |\n|---|---|---|---|---|\n");
            Table summary = SampleAggregates.summarizeBy(runs, List.of("arm"), OVER_TRAINING, SampleAggregates.MEAN,
                    SampleAggregates.CI_LOW, SampleAggregates.CI_HIGH, SampleAggregates.N);
            for (String a : arms) {
                Table t = summary.where(summary.stringColumn("arm").isEqualTo(a));
                md.append("| ").append(a).append(" | ")
                        .append(t.intColumn(SampleAggregates.name(SampleAggregates.N, OVER_TRAINING.get(0))).get(0));
                for (String q : OVER_TRAINING) {
                    md.append(" | ").append(interval(
                            t.doubleColumn(SampleAggregates.name(SampleAggregates.MEAN, q)).getDouble(0),
                            t.doubleColumn(SampleAggregates.name(SampleAggregates.CI_LOW, q)).getDouble(0),
                            t.doubleColumn(SampleAggregates.name(SampleAggregates.CI_HIGH, q)).getDouble(0)));
                }
                md.append(" |\n");
            }
            if (arms.size() > 1) {
                md.append("\nRatio to ").append(arms.get(0)).append(" (each arm's run over the reference arm's run "
                        + "of the same seed; geometric mean over seeds with 95% interval; below 1: smoother):\n\n"
                        + "| arm | seeds | loss range | largest gradient change | largest beta |\n|---|---|---|---|---|\n");
                for (String a : arms.subList(1, arms.size())) {
                    Table ratios = logRatios(a);
                    md.append("| ").append(a).append(" / ").append(arms.get(0)).append(" | ")
                            .append(ratios.rowCount());
                    Table s = ratios.rowCount() == 0 ? null : SampleAggregates.summarizeBy(ratios, List.of("arm"),
                            OVER_TRAINING, SampleAggregates.MEAN, SampleAggregates.CI_LOW, SampleAggregates.CI_HIGH);
                    for (String q : OVER_TRAINING) {
                        md.append(" | ").append(s == null ? "" : interval(
                                Math.exp(s.doubleColumn(SampleAggregates.name(SampleAggregates.MEAN, q)).getDouble(0)),
                                Math.exp(s.doubleColumn(SampleAggregates.name(SampleAggregates.CI_LOW, q)).getDouble(0)),
                                Math.exp(s.doubleColumn(SampleAggregates.name(SampleAggregates.CI_HIGH, q))
                                        .getDouble(0))));
                    }
                    md.append(" |\n");
                }
            }
            return md.toString();
        }

        /** log(arm's value / the first arm's value) per seed both arms ran, one row per seed. */
        private Table logRatios(String arm) {
            StringColumn armColumn = StringColumn.create("arm");
            List<DoubleColumn> logs = OVER_TRAINING.stream().map(DoubleColumn::create).toList();
            for (int i = 0; i < runs.rowCount(); i++) {
                if (!runs.stringColumn("arm").get(i).equals(arm)) {
                    continue;
                }
                long seed = runs.longColumn("seed").get(i);
                for (int j = 0; j < runs.rowCount(); j++) {
                    if (runs.stringColumn("arm").get(j).equals(arms.get(0)) && runs.longColumn("seed").get(j) == seed) {
                        armColumn.append(arm);
                        for (int q = 0; q < OVER_TRAINING.size(); q++) {
                            DoubleColumn c = runs.doubleColumn(OVER_TRAINING.get(q));
                            logs.get(q).append(Math.log(c.getDouble(i) / c.getDouble(j)));
                        }
                        break;
                    }
                }
            }
            Table t = Table.create("ratios", armColumn);
            logs.forEach(t::addColumns);
            return t;
        }

        private static String interval(double mean, double low, double high) {
            return LayerResponsesMeasurement.number(mean) + (Double.isNaN(low) ? ""
                    : " (" + LayerResponsesMeasurement.number(low) + " to " + LayerResponsesMeasurement.number(high)
                    + ")");
        }
    }
}
