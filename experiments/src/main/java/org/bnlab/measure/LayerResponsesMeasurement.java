package org.bnlab.measure;

import org.bnlab.io.AtomicFiles;
import org.bnlab.report.plot.LayerProfilePlot;
import org.bnlab.report.stats.SampleAggregates;
import org.bnlab.results.ProbeRow;
import org.bnlab.results.RecordFile;
import org.bnlab.results.RunFolder;
import org.bnlab.train.TrainingRecorder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Layer responses, He et al. 2016, section 4.2 "Analysis of Layer Responses" and Figure 7: "the standard deviations
 * (std) of the layer responses. The responses are the outputs of each 3x3 layer, after BN and before other
 * nonlinearity (ReLU/addition)". On {@code measure.layer_response_images} test images drawn with the run's seed (the
 * probe's draw), at initialisation (iteration 0, before the first step) and after the last epoch, in inference mode
 * (BN with its running statistics: the paper measures on the test set), written to {@code layer-responses.csv}
 * ({@link #RECORDS}).
 *
 * <p>A response is what {@link ProbeSnapshot} calls a weight layer's pre-activation: the output of the BN that alone
 * reads the convolution (before its ReLU, and for a block's second convolution before the addition), else the
 * convolution's own output before its activation. Only convolutions with a 3x3 kernel count (not a projection
 * shortcut's 1x1 convolution, not the classifier), numbered 1, 2, ... in network order (input to output). The std is
 * the population std over all elements of the response (images, channels and positions), the plainest reading of
 * "std of the layer response": the paper says nothing of channels. The sample is measured in batches of
 * {@value #BATCH} images and the batches' means and stds pooled exactly. At initialisation a BN's running
 * statistics are still mean 0 and variance 1, so its inference response there is the convolution's output scaled by
 * gamma = 1: the init rows show the raw signal's scale.
 *
 * <p>Its report part: {@code plots/layer-responses.png} (left: std by layer index in network order; right: the same
 * values sorted in descending order, as the paper's two panels), one line per arm, the mean over the arm's seeds
 * layer by layer, from the final rows (the arm's sorted line sorts those means), and
 * {@code layer-responses-summary.csv}: per arm, when and layer, the mean and sd over the runs.
 */
public final class LayerResponsesMeasurement implements Measurement {

    /** Images per inference pass. */
    static final int BATCH = 64;
    /** {@code when} of the rows at initialisation. */
    public static final String INIT = "init";
    /** {@code when} of the rows after the last epoch. */
    public static final String FINAL = "final";
    static final String SUMMARY_CSV = "layer-responses-summary.csv";
    static final String PLOT = "plots/layer-responses.png";

    /**
     * One 3x3 convolution's response at one time.
     *
     * @param epoch     1-based epoch the rows were taken in (1 for {@code init}, the last for {@code final})
     * @param iteration training steps done
     * @param when      {@value #INIT} or {@value #FINAL}
     * @param index     1-based position among the network's 3x3 convolutions, input to output
     * @param layer     the convolution's vertex name
     * @param response  the vertex whose output is measured: the BN after the convolution, else the convolution
     * @param mean      mean of the response's elements
     * @param std       population standard deviation of the response's elements (images x channels x positions)
     */
    public record Row(int epoch, long iteration, String when, int index, String layer, String response, double mean,
                      double std) {
    }

    /** {@code layer-responses.csv}: per run, the init rows then the final rows, each in network order. */
    public static final RecordFile<Row> RECORDS = RecordFile.of("layer-responses.csv",
            "epoch,iteration,when,index,layer,response,mean,std",
            r -> List.of(r.epoch(), r.iteration(), r.when(), r.index(), r.layer(), r.response(), r.mean(), r.std()),
            f -> new Row(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()), f[2].strip(),
                    Integer.parseInt(f[3].strip()), f[4].strip(), f[5].strip(), RecordFile.number(f[6]),
                    RecordFile.number(f[7])),
            Row::epoch);

    @Override
    public String name() {
        return "layer responses";
    }

    @Override
    public Optional<TrainingRecorder> recorder(RecordingContext run) {
        int images = run.spec().measure().layerResponseImages();
        return images > 0
                ? Optional.of(new Recorder(run.samples().draw(images, run.spec().seed()), run.spec().train().epochs()))
                : Optional.empty();
    }

    /**
     * The responses of {@code net}'s 3x3 convolutions on {@code sample} (features in the network's layout, one-hot
     * labels), in network order. Changes no number of the training (see {@link ProbeSnapshot}).
     *
     * @throws IllegalArgumentException if the sample is empty
     */
    public static List<Row> measure(ComputationGraph net, DataSet sample, int epoch, long iteration, String when) {
        int images = sample.numExamples();
        if (images == 0) {
            throw new IllegalArgumentException("no images to measure the layer responses on");
        }
        Map<String, GraphVertex> vertices = net.getConfiguration().getVertices();
        // per layer: sum over batches of (elements x mean) and of (elements x (std^2 + mean^2)), pooled below
        Map<String, double[]> pooled = new LinkedHashMap<>();
        Map<String, String> responses = new LinkedHashMap<>();
        for (DataSet batch : images <= BATCH ? List.of(sample) : sample.batchBy(BATCH)) {
            double weight = batch.numExamples();
            for (ProbeRow r : ProbeSnapshot.take(net, batch, epoch, iteration)) {
                if (!isThreeByThree(vertices.get(r.layer()))) {
                    continue;
                }
                responses.put(r.layer(), r.preActivation());
                double[] sums = pooled.computeIfAbsent(r.layer(), l -> new double[2]);
                sums[0] += weight * r.mean();
                sums[1] += weight * (r.std() * r.std() + r.mean() * r.mean());
            }
        }
        List<Row> rows = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, double[]> e : pooled.entrySet()) {
            double mean = e.getValue()[0] / images;
            double variance = Math.max(0, e.getValue()[1] / images - mean * mean);
            rows.add(new Row(epoch, iteration, when, ++index, e.getKey(), responses.get(e.getKey()), mean,
                    Math.sqrt(variance)));
        }
        return rows;
    }

    private static boolean isThreeByThree(GraphVertex vertex) {
        return vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer conv
                && Arrays.equals(conv.getKernelSize(), new int[]{3, 3});
    }

    /** Takes the init rows before the first step and the final rows once the last epoch's metrics are written. */
    static final class Recorder implements TrainingRecorder {

        private static final TrainingListener NONE = new BaseTrainingListener() {
        };

        private final DataSet sample;
        private final int epochs;
        private final List<Row> rows = new ArrayList<>();
        private ComputationGraph net;
        private int epoch;

        /**
         * @param sample the images measured
         * @param epochs the run's epochs: the final rows are taken after the last
         */
        Recorder(DataSet sample, int epochs) {
            this.sample = sample;
            this.epochs = epochs;
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
            this.net = net;
            if (net.getConfiguration().getIterationCount() == 0) {
                rows.addAll(measure(net, sample, epoch, 0, INIT));
            }
        }

        @Override
        public void epochDone(int epoch, RunFolder folder) {
            if (epoch == epochs && net != null) {
                rows.addAll(measure(net, sample, epoch, net.getConfiguration().getIterationCount(), FINAL));
            }
            RECORDS.writeEpoch(folder, epoch, List.copyOf(rows));
        }
    }

    @Override
    public MeasurementReport report(String experiment, List<MeasuredRun> runs) {
        StringColumn arm = StringColumn.create("arm");
        StringColumn when = StringColumn.create("when");
        IntColumn index = IntColumn.create("index");
        StringColumn layer = StringColumn.create("layer");
        DoubleColumn std = DoubleColumn.create("std");
        List<String> arms = new ArrayList<>();
        for (MeasuredRun run : runs) {
            List<Row> records = RECORDS.read(run.folder());
            if (!records.isEmpty() && !arms.contains(run.arm())) {
                arms.add(run.arm());
            }
            for (Row r : records) {
                arm.append(run.arm());
                when.append(r.when());
                index.append(r.index());
                layer.append(r.layer());
                std.append(r.std());
            }
        }
        if (arm.isEmpty()) {
            return MeasurementReport.NONE;
        }
        Table rows = Table.create("layer responses", arm, when, index, layer, std);
        Table summary = SampleAggregates.summarizeBy(rows, List.of("arm", "when", "index", "layer"), List.of("std"),
                SampleAggregates.MEAN, SampleAggregates.SD, SampleAggregates.N);
        return new Part(experiment, arms, summary);
    }

    /** The report part over the arms' summarised rows. */
    private record Part(String experiment, List<String> arms, Table summary) implements MeasurementReport {

        @Override
        public List<String> writeTo(Path dir) {
            String mean = SampleAggregates.name(SampleAggregates.MEAN, "std");
            String sd = SampleAggregates.name(SampleAggregates.SD, "std");
            String n = SampleAggregates.name(SampleAggregates.N, "std");
            StringBuilder csv = new StringBuilder("arm,when,index,layer,runs,std_mean,std_sd\n");
            List<LayerProfilePlot.Line> inOrder = new ArrayList<>();
            List<LayerProfilePlot.Line> sorted = new ArrayList<>();
            for (String arm : arms) {
                for (String when : List.of(INIT, FINAL)) {
                    Table t = summary.where(summary.stringColumn("arm").isEqualTo(arm)
                            .and(summary.stringColumn("when").isEqualTo(when))).sortAscendingOn("index");
                    for (int i = 0; i < t.rowCount(); i++) {
                        csv.append(String.join(",", quoted(arm), when, Integer.toString(t.intColumn("index").get(i)),
                                t.stringColumn("layer").get(i), Integer.toString(t.intColumn(n).get(i)),
                                number(t.doubleColumn(mean).getDouble(i)), number(t.doubleColumn(sd).getDouble(i))))
                                .append('\n');
                    }
                    if (when.equals(FINAL) && t.rowCount() > 0) {
                        double[] x = t.intColumn("index").asDoubleArray();
                        double[] y = t.doubleColumn(mean).asDoubleArray();
                        int seeds = t.intColumn(n).get(0);
                        String label = arm + (seeds == 1 ? "" : " (" + seeds + " seeds)");
                        inOrder.add(new LayerProfilePlot.Line(label, x, y));
                        double[] descending = Arrays.stream(y).boxed()
                                .sorted(Comparator.reverseOrder()).mapToDouble(Double::doubleValue)
                                .toArray();
                        sorted.add(new LayerProfilePlot.Line(label, x, descending));
                    }
                }
            }
            AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), csv.toString());
            if (inOrder.isEmpty()) {
                return List.of();
            }
            LayerProfilePlot.write(dir.resolve(PLOT), experiment + ": std of the 3x3 layers' responses "
                    + "(after BN, before ReLU/addition), end of training, test sample", List.of(
                    new LayerProfilePlot.Panel("original order", "layer index (3x3 convolutions, input to output)",
                            "std of the response", inOrder),
                    new LayerProfilePlot.Panel("sorted by magnitude", "rank (descending)", "std of the response",
                            sorted)));
            return List.of(PLOT);
        }

        @Override
        public String markdown() {
            return "\n## Layer responses\n\nThe std of each 3x3 convolution's response (after BN, before the ReLU "
                    + "and the addition; inference mode) on a fixed sample of test images, at initialisation and at "
                    + "the end of training (`<run>/layer-responses.csv`; He et al. 2016, Figure 7). Plotted: the "
                    + "end of training, mean over seeds, in network order and sorted; per arm, time and layer: `"
                    + SUMMARY_CSV + "`.\n";
        }
    }

    /** A CSV field, in double quotes when it holds a comma or a quote (RFC 4180). */
    static String quoted(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    /** 6 significant digits; NaN (no value) as an empty cell. */
    static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
    }
}
