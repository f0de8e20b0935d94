package org.bnlab.train;

import org.bnlab.results.EpochMetrics;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trains one network epoch by epoch with DL4J's own {@code fit}, updater and listeners, and after every epoch
 * evaluates it, rewrites the run's metrics (and, when the job records them, its activation statistics) and
 * checkpoints it. Rerunning a job whose folder holds a checkpoint
 * resumes after the last finished epoch. A loss that turns NaN, infinite, or explodes stops the run as diverged
 * (see {@link DivergenceGuard}); that is an outcome, not an error.
 */
public final class Trainer {

    private final TrainingProgress progress;

    public Trainer(TrainingProgress progress) {
        this.progress = progress;
    }

    public TrainingOutcome train(TrainingJob job) {
        TrainingRecipe spec = job.spec();
        Optional<Checkpoint> checkpoint = Checkpoint.load(job.folder().checkpointFile());
        ComputationGraph net = checkpoint.map(Checkpoint::net).orElseGet(job.newNetwork());
        int epochsDone = checkpoint.map(Checkpoint::epochsDone).orElse(0);
        List<EpochMetrics> metrics = new ArrayList<>(job.folder().readMetrics().stream()
                .filter(m -> m.epoch() <= epochsDone).toList());
        if (metrics.size() != epochsDone) {
            throw new IllegalStateException(job.folder().metricsFile() + " has " + metrics.size()
                    + " epochs but the checkpoint has " + epochsDone + "; delete the run folder to start it again");
        }

        TrainingStats stats = new TrainingStats();
        List<TrainingListener> listeners = new ArrayList<>(List.of(stats));
        job.recorders().forEach(r -> listeners.add(r.listener()));
        net.setListeners(listeners);
        DivergenceGuard guard = new DivergenceGuard(spec.divergenceFactor(), job.numClasses(),
                checkpoint.map(Checkpoint::firstLoss).orElse(Double.NaN));
        int batchesPerEpoch = batchesPerEpoch(job);
        ISchedule learningRate = StepSchedule.of(spec, batchesPerEpoch);
        double elapsed = metrics.isEmpty() ? 0 : metrics.get(metrics.size() - 1).elapsedSeconds();

        for (int epoch = epochsDone + 1; epoch <= spec.epochs(); epoch++) {
            long start = System.nanoTime();
            double epochRate = learningRate.valueAt(net.getConfiguration().getIterationCount(), 0);
            progress.epochStarted(job.run(), epoch, spec.epochs(), batchesPerEpoch);
            stats.startEpoch();
            for (TrainingRecorder recorder : job.recorders()) {
                recorder.startEpoch(epoch);
            }
            job.train().setEpoch(epoch);
            Optional<String> diverged = Optional.empty();
            while (diverged.isEmpty() && job.train().hasNext()) {
                DataSet batch = job.train().next();
                for (TrainingRecorder recorder : job.recorders()) {
                    recorder.beforeIteration(net, batch);
                }
                stats.expect(batch.getLabels());
                net.fit(batch);
                diverged = guard.check(stats.lastBatchLoss(), net.getConfiguration().getIterationCount());
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.stepDone(stats.lastBatchLoss(), stats.epochAccuracy(), stats.epochImages() / seconds);
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            Evaluation evaluation = Evaluation.of(net, job.evaluation());
            double epochSeconds = (System.nanoTime() - start) / 1e9;
            elapsed += epochSeconds;
            EpochMetrics row = new EpochMetrics(epoch, epochRate, stats.epochLoss(), stats.epochAccuracy(),
                    evaluation.loss(), evaluation.accuracy(), epochSeconds, elapsed,
                    stats.epochImages() / trainSeconds);
            metrics.add(row);
            // Metrics first, then the recorders' files (activation statistics), then the checkpoint: a crash in between leaves a
            // checkpoint one epoch behind the files, and resuming recomputes that epoch's rows identically (and
            // replaces them). Activation rows appear only with their epoch's metrics row, never before it.
            job.folder().writeMetrics(metrics);
            for (TrainingRecorder recorder : job.recorders()) {
                recorder.epochDone(epoch, job.folder());
            }
            progress.epochDone(job.run(), row);
            if (diverged.isPresent()) {
                deleteCheckpoint(job);
                return new TrainingOutcome(true, epoch, diverged.get(), metrics);
            }
            net.getConfiguration().setEpochCount(epoch);
            Checkpoint.save(net, guard.firstLoss(), job.folder().checkpointFile());
        }
        return new TrainingOutcome(false, null, null, metrics);
    }

    private static int batchesPerEpoch(TrainingJob job) {
        return job.train().numBatches();
    }

    private static void deleteCheckpoint(TrainingJob job) {
        try {
            Files.deleteIfExists(job.folder().checkpointFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
