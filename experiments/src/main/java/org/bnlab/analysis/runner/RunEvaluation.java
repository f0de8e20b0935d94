package org.bnlab.analysis.runner;

import org.bnlab.analysis.AnalysisFolder;
import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.ForwardPasses;
import org.bnlab.analysis.ModelMetrics;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.data.BatchIterator;
import org.bnlab.experiment.ExperimentData;
import org.bnlab.report.plot.ReliabilityPlot;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.RunSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One trained run as its evaluation modes see it: the network, its data, its specification (with the analysis's
 * {@code eval} changes), its analysis folder, and what the modes share (the running-mode row, the per-model files,
 * the printed lines).
 */
public final class RunEvaluation {

    private final ComputationGraph net;
    private final boolean hasBatchNorm;
    private final ExperimentData data;
    private final RunSpec spec;
    private final AnalysisFolder folder;
    private final String position;
    private final PrintStream log;
    private AnalysisRow runningRow;

    RunEvaluation(ComputationGraph net, boolean hasBatchNorm, ExperimentData data, RunSpec spec,
                  AnalysisFolder folder, String position, PrintStream log) {
        this.net = net;
        this.hasBatchNorm = hasBatchNorm;
        this.data = data;
        this.spec = spec;
        this.folder = folder;
        this.position = position;
        this.log = log;
    }

    /** The trained network (from the run's checkpoint); a mode leaves it as it found it. */
    public ComputationGraph net() {
        return net;
    }

    /** Whether the network has BN layers; without, every mode's rows are the running-mode measurement. */
    public boolean hasBatchNorm() {
        return hasBatchNorm;
    }

    public ExperimentData data() {
        return data;
    }

    public RunSpec spec() {
        return spec;
    }

    public AnalysisFolder folder() {
        return folder;
    }

    /** {@code eval.calibration_bins}. */
    public int bins() {
        return spec.eval().calibrationBins();
    }

    /** The metrics of {@code outputs}: accuracy, loss, confidence and calibration over {@link #bins} bins. */
    public ModelMetrics metrics(ModelOutputs outputs) {
        return ModelMetrics.of(outputs, data.numClasses(), bins());
    }

    /** Records the running-mode row, which the other modes of a network without BN repeat. */
    void rememberRunning(AnalysisRow row) {
        runningRow = row;
    }

    /** The running-mode row, computed now when that mode is not part of this analysis. */
    public AnalysisRow runningRow() {
        if (runningRow == null) {
            long start = System.nanoTime();
            ModelOutputs outputs;
            try (BatchIterator batches = data.evaluationBatches(spec.eval().batchSize())) {
                outputs = ForwardPasses.running(net, batches);
            }
            runningRow = AnalysisRow.of(EvalSpec.RUNNING, "none", 0, "", 0, metrics(outputs),
                    speed(outputs.size(), start));
        }
        return runningRow;
    }

    /** Writes the per-class accuracies and the reliability table and diagram of {@code mode}. */
    public void writeModelFiles(String mode, ModelMetrics m, String what) {
        folder.writePerClass(mode, m, data.evaluationSet().classNames());
        folder.writeReliability(mode, m);
        double[] acc = new double[m.binCount().length];
        double[] conf = new double[m.binCount().length];
        for (int b = 0; b < acc.length; b++) {
            acc[b] = 100 * m.binAccuracy()[b];
            conf[b] = 100 * m.binConfidence()[b];
        }
        ReliabilityPlot.write(folder.reliabilityPng(mode), String.format(Locale.ROOT,
                "%s: accuracy %.2f%%, ECE %.2f%%", what, 100 * m.accuracy(), 100 * m.ece()), acc, conf,
                m.binCount()); // the run is the folder; a title with its id did not fit the figure
    }

    /** Prints one evaluation's accuracy, loss, ECE and speed. */
    public void say(String what, AnalysisRow row) {
        log.printf(Locale.ROOT, "%s:   %s: accuracy %.2f%%, loss %.4f, ECE %.2f%%, %,.0f images/s%n", position,
                what, row.accuracyPct(), row.loss(), row.ecePct(), row.imagesPerSecond());
    }

    /** Prints a line of the run's progress ({@link String#format} with the root locale), after its position. */
    public void note(String format, Object... args) {
        log.print(position + ":   " + String.format(Locale.ROOT, format, args) + System.lineSeparator());
    }

    /** Images per second since {@code startNanos}. */
    public static double speed(int images, long startNanos) {
        return images / ((System.nanoTime() - startNanos) / 1e9);
    }
}
