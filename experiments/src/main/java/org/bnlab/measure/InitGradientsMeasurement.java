package org.bnlab.measure;

import org.bnlab.io.AtomicFiles;
import org.bnlab.norm.Normalizers;
import org.bnlab.report.plot.LayerProfilePlot;
import org.bnlab.report.stats.SampleAggregates;
import org.bnlab.results.RecordFile;
import org.bnlab.results.RunFolder;
import org.bnlab.train.TrainingRecorder;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gradient norms by depth at initialisation (Yang et al. 2019, "A mean field theory of batch normalization": in a
 * deep BN network without shortcuts the gradients grow exponentially towards the input). With
 * {@code measure.init_gradients: true}, at iteration 0 (before the first step) on the probe batch
 * ({@code measure.probe_images} test images drawn with the run's seed, as {@link ProbeMeasurement} draws them), for
 * every weight layer (convolution, dense, classifier) in network order: the L2 norm of the mean loss's gradient with
 * respect to the layer's weights W and with respect to its input (the whole activation tensor it reads, all images;
 * where that activation also feeds a shortcut, the total gradient through every path), from one training-mode
 * forward and backward pass (BN with the batch's statistics, as in a training step), no update. Written to
 * {@code gradients.csv} ({@link #RECORDS}), a file of its own so that {@code probe.csv} keeps its header and every
 * probe file written before still reads.
 *
 * <p>Nothing of the training changes: the run's listeners are detached, no parameter or updater state is written, the
 * gradient arrays are overwritten by the first step, and the layer states are cleared afterwards. The input
 * gradients are the graph vertices' epsilons (summed over a vertex's readers by DL4J's backward pass), read by a
 * listener at the end of the pass; DL4J keeps them in workspaces that are closed by then, so for this one pass the
 * graph runs without workspaces (same numbers, more allocation), then its workspace modes are restored.
 *
 * <p>Its report part: {@code plots/gradient-norms.png}, log10 of the weight-gradient norm (left) and of the
 * input-gradient norm (right) against the layer index from input to output, one line per arm, the mean over the
 * arm's seeds of log10 (a geometric mean), so that exponential growth towards the input is a straight line; and
 * {@code gradients-summary.csv} with those means and sds per arm and layer.
 */
public final class InitGradientsMeasurement implements Measurement {

    static final String SUMMARY_CSV = "gradients-summary.csv";
    static final String PLOT = "plots/gradient-norms.png";

    /**
     * One weight layer's gradient norms.
     *
     * @param epoch          1-based epoch (1)
     * @param iteration      training steps done (0)
     * @param index          1-based position among the weight layers, input to output
     * @param layer          the weight layer's vertex name
     * @param kind           {@code conv}, {@code dense} or {@code output}
     * @param input          the vertex whose output the layer reads (the network input for the first layer)
     * @param weightGradNorm L2 norm of dLoss/dW (mean cross-entropy over the batch, no weight decay term)
     * @param inputGradNorm  L2 norm of dLoss/d(input), over all images and elements of the input
     */
    public record Row(int epoch, long iteration, int index, String layer, String kind, String input,
                      double weightGradNorm, double inputGradNorm) {
    }

    /** {@code gradients.csv}: the weight layers in network order, at iteration 0. */
    public static final RecordFile<Row> RECORDS = RecordFile.of("gradients.csv",
            "epoch,iteration,index,layer,kind,input,weight_grad_norm,input_grad_norm",
            r -> List.of(r.epoch(), r.iteration(), r.index(), r.layer(), r.kind(), r.input(), r.weightGradNorm(),
                    r.inputGradNorm()),
            f -> new Row(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()), Integer.parseInt(f[2].strip()),
                    f[3].strip(), f[4].strip(), f[5].strip(), RecordFile.number(f[6]), RecordFile.number(f[7])),
            Row::epoch);

    @Override
    public String name() {
        return "gradient norms at initialisation";
    }

    @Override
    public Optional<TrainingRecorder> recorder(RecordingContext run) {
        return run.spec().measure().initGradients()
                ? Optional.of(new Recorder(run.samples().draw(run.spec().measure().probeImages(), run.spec().seed())))
                : Optional.empty();
    }

    /**
     * The gradient norms of {@code net}'s weight layers on {@code batch} (features in the network's layout, one-hot
     * labels), in network order (the order the model builder added the layers).
     *
     * @throws IllegalStateException if DL4J left no gradient for a layer's weights or input
     */
    public static List<Row> measure(ComputationGraph net, DataSet batch, int epoch, long iteration) {
        Collection<TrainingListener> listeners = new ArrayList<>(net.getListeners() == null ? List.of()
                : net.getListeners());
        ComputationGraphConfiguration conf = net.getConfiguration();
        WorkspaceMode training = conf.getTrainingWorkspaceMode();
        WorkspaceMode inference = conf.getInferenceWorkspaceMode();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        List<String> weightLayers = conf.getVertices().entrySet().stream()
                .filter(e -> e.getValue() instanceof LayerVertex lv && isWeightLayer(lv.getLayerConf().getLayer()))
                .map(Map.Entry::getKey).toList();
        if (weightLayers.isEmpty()) {
            throw new IllegalArgumentException("the network has no weight layer (convolution, dense)");
        }
        // the vertices' epsilons (gradients with respect to their outputs) are cleared at the end of
        // computeGradientAndScore, after the listeners' onBackwardPass: read them there
        Map<String, Double> inputGradNorms = new HashMap<>();
        TrainingListener epsilons = new BaseTrainingListener() {
            @Override
            public void onBackwardPass(Model model) {
                for (String layer : weightLayers) {
                    String input = inputs.get(layer).get(0);
                    INDArray eps = net.getVertex(input).getEpsilon();
                    if (eps != null) {
                        inputGradNorms.put(input, eps.norm2Number().doubleValue());
                    }
                }
            }
        };
        net.setListeners(List.of(epsilons));
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        try {
            net.setInputs(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.computeGradientAndScore();
            Gradient gradient = net.gradient();
            // DL4J's gradients are of the loss summed over the batch (its updater divides): the mean loss's is 1/N
            double images = batch.getFeatures().size(0);
            List<Row> rows = new ArrayList<>();
            for (String name : weightLayers) {
                Layer layer = ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
                INDArray dW = gradient.getGradientFor(name + "_" + DefaultParamInitializer.WEIGHT_KEY);
                String input = inputs.get(name).get(0);
                Double dX = inputGradNorms.get(input);
                if (dW == null || dX == null) {
                    throw new IllegalStateException("no gradient for the " + (dW == null ? "weights" : "input")
                            + " of " + name);
                }
                String kind = layer instanceof ConvolutionLayer ? "conv" : layer instanceof BaseOutputLayer
                        ? "output" : "dense";
                rows.add(new Row(epoch, iteration, rows.size() + 1, name, kind, input,
                        dW.norm2Number().doubleValue() / images, dX / images));
            }
            return rows;
        } finally {
            conf.setTrainingWorkspaceMode(training);
            conf.setInferenceWorkspaceMode(inference);
            net.clearLayersStates();
            net.setListeners(listeners);
        }
    }

    /** A convolution or a dense layer (the classifier included) with weights, not a normalizer. */
    static boolean isWeightLayer(Layer layer) {
        return layer instanceof ConvolutionLayer || layer instanceof FeedForwardLayer
                && !Normalizers.isNormalization(layer) && layer.initializer().paramKeys(layer)
                .contains(DefaultParamInitializer.WEIGHT_KEY);
    }

    /** Measures the initialised network before the first step; writes the rows with epoch 1. */
    static final class Recorder implements TrainingRecorder {

        private static final TrainingListener NONE = new BaseTrainingListener() {
        };

        private final DataSet batch;
        private final List<Row> rows = new ArrayList<>();
        private int epoch;

        Recorder(DataSet batch) {
            this.batch = batch;
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
        public void beforeIteration(ComputationGraph net) {
            if (net.getConfiguration().getIterationCount() == 0) {
                rows.addAll(measure(net, batch, epoch, 0));
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
        IntColumn index = IntColumn.create("index");
        StringColumn layer = StringColumn.create("layer");
        DoubleColumn weights = DoubleColumn.create("log10_weight_grad");
        DoubleColumn inputs = DoubleColumn.create("log10_input_grad");
        StringColumn runColumn = StringColumn.create("run");
        DoubleColumn growth = DoubleColumn.create("log10_growth");
        StringColumn growthArm = StringColumn.create("arm");
        List<String> arms = new ArrayList<>();
        for (MeasuredRun run : runs) {
            List<Row> rows = RECORDS.read(run.folder()).stream().filter(r -> r.iteration() == 0).toList();
            if (rows.isEmpty()) {
                continue;
            }
            if (!arms.contains(run.arm())) {
                arms.add(run.arm());
            }
            for (Row r : rows) {
                arm.append(run.arm());
                index.append(r.index());
                layer.append(r.layer());
                weights.append(Math.log10(r.weightGradNorm()));
                inputs.append(Math.log10(r.inputGradNorm()));
            }
            runColumn.append(run.run());
            growthArm.append(run.arm());
            List<Row> convs = rows.stream().filter(r -> r.kind().equals("conv")).toList();
            growth.append(convs.size() < 3 ? Double.NaN
                    : Math.log10(convs.get(1).inputGradNorm() / convs.get(convs.size() - 1).inputGradNorm()));
        }
        if (arms.isEmpty()) {
            return MeasurementReport.NONE;
        }
        Table byLayer = SampleAggregates.summarizeBy(Table.create("gradients", arm, index, layer, weights, inputs),
                List.of("arm", "index", "layer"), List.of("log10_weight_grad", "log10_input_grad"),
                SampleAggregates.MEAN, SampleAggregates.SD, SampleAggregates.N);
        Table byArm = SampleAggregates.summarizeBy(Table.create("growth", growthArm, runColumn, growth),
                List.of("arm"), List.of("log10_growth"), SampleAggregates.MEAN, SampleAggregates.CI_LOW,
                SampleAggregates.CI_HIGH, SampleAggregates.N);
        return new Part(experiment, arms, byLayer, byArm);
    }

    /** The report part over the arms' summarised rows. */
    private record Part(String experiment, List<String> arms, Table byLayer, Table byArm)
            implements MeasurementReport {

        private static final String WEIGHTS = "log10_weight_grad";
        private static final String INPUTS = "log10_input_grad";

        @Override
        public List<String> writeTo(Path dir) {
            StringBuilder csv = new StringBuilder("arm,index,layer,runs,log10_weight_grad_mean,log10_weight_grad_sd,"
                    + "log10_input_grad_mean,log10_input_grad_sd\n");
            List<LayerProfilePlot.Line> weightLines = new ArrayList<>();
            List<LayerProfilePlot.Line> inputLines = new ArrayList<>();
            for (String arm : arms) {
                Table t = byLayer.where(byLayer.stringColumn("arm").isEqualTo(arm)).sortAscendingOn("index");
                IntColumn n = t.intColumn(SampleAggregates.name(SampleAggregates.N, WEIGHTS));
                for (int i = 0; i < t.rowCount(); i++) {
                    csv.append(String.join(",", LayerResponsesMeasurement.quoted(arm),
                            Integer.toString(t.intColumn("index").get(i)), t.stringColumn("layer").get(i),
                            Integer.toString(n.get(i)), field(t, SampleAggregates.MEAN, WEIGHTS, i),
                            field(t, SampleAggregates.SD, WEIGHTS, i), field(t, SampleAggregates.MEAN, INPUTS, i),
                            field(t, SampleAggregates.SD, INPUTS, i)))
                            .append('\n');
                }
                double[] x = t.intColumn("index").asDoubleArray();
                int seeds = n.get(0);
                String label = arm + (seeds == 1 ? "" : " (" + seeds + " seeds)");
                weightLines.add(new LayerProfilePlot.Line(label, x,
                        t.doubleColumn(SampleAggregates.name(SampleAggregates.MEAN, WEIGHTS)).asDoubleArray()));
                inputLines.add(new LayerProfilePlot.Line(label, x,
                        t.doubleColumn(SampleAggregates.name(SampleAggregates.MEAN, INPUTS)).asDoubleArray()));
            }
            AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), csv.toString());
            LayerProfilePlot.write(dir.resolve(PLOT), experiment + ": gradient norms at initialisation on the "
                    + "probe batch, mean over seeds of log10", List.of(
                    new LayerProfilePlot.Panel("weights", "weight layer index (input to output)",
                            "log10 ||dLoss/dW||", weightLines),
                    new LayerProfilePlot.Panel("layer inputs", "weight layer index (input to output)",
                            "log10 ||dLoss/d(layer input)||", inputLines)));
            return List.of(PLOT);
        }

        private static String field(Table t, AggregateFunction<?, ?> function, String column, int row) {
            return LayerResponsesMeasurement.number(t.doubleColumn(SampleAggregates.name(function, column))
                    .getDouble(row));
        }

        @Override
        public String markdown() {
            StringBuilder md = new StringBuilder("\n## Gradient norms at initialisation\n\nPer weight layer, the "
                    + "L2 norm of the mean loss's gradient with respect to its weights and its input, at iteration 0 "
                    + "on the probe batch (`<run>/gradients.csv`; Yang et al. 2019). Per arm and layer, means over "
                    + "seeds of log10: `" + SUMMARY_CSV + "`. Growth towards the input: log10 of the input-gradient "
                    + "norm of the second convolution (the first after the stem) over that of the last convolution "
                    + "(1: ten times larger near the input), mean over seeds with its 95% t interval. The two "
                    + "inputs differ in size (in a CIFAR ResNet 16x32x32 against 64x8x8 elements per image, a "
                    + "factor of 2 in the norm, 0.30 in log10, for equal gradients per element), alike in every "
                    + "arm of one depth: compare arms:\n\n| arm | runs | log10 growth | 95% CI |\n"
                    + "|---|---|---|---|\n");
            for (String arm : arms) {
                Table t = byArm.where(byArm.stringColumn("arm").isEqualTo(arm));
                double low = t.doubleColumn(SampleAggregates.name(SampleAggregates.CI_LOW, "log10_growth"))
                        .getDouble(0);
                double high = t.doubleColumn(SampleAggregates.name(SampleAggregates.CI_HIGH, "log10_growth"))
                        .getDouble(0);
                md.append("| ").append(arm).append(" | ")
                        .append(t.intColumn(SampleAggregates.name(SampleAggregates.N, "log10_growth")).getInt(0))
                        .append(" | ").append(LayerResponsesMeasurement.number(t.doubleColumn(
                                SampleAggregates.name(SampleAggregates.MEAN, "log10_growth")).getDouble(0)))
                        .append(" | ").append(Double.isNaN(low) ? "" : LayerResponsesMeasurement.number(low) + " to "
                                + LayerResponsesMeasurement.number(high)).append(" |\n");
            }
            return md.toString();
        }
    }
}
