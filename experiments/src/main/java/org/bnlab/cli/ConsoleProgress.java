package org.bnlab.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bnlab.results.EpochMetrics;
import org.bnlab.train.TrainingProgress;

import java.io.PrintStream;

/**
 * A progress bar per epoch on the terminal (standard error, unless quiet), and one line per finished epoch on
 * standard output.
 */
final class ConsoleProgress implements TrainingProgress {

    private final PrintStream out;
    private final boolean showBar;
    private ProgressBar bar;

    ConsoleProgress(PrintStream out, boolean showBar) {
        this.out = out;
        this.showBar = showBar;
    }

    @Override
    public void epochStarted(String run, int epoch, int epochs, int batches) {
        closeBar();
        if (!showBar) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("%s %d/%d", run, epoch, epochs))
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(140)
                .build();
    }

    @Override
    public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(" loss %.3g acc %.1f%% %.0f img/s", batchLoss, 100 * runningAccuracy,
                    imagesPerSecond));
        }
    }

    @Override
    public void epochDone(String run, EpochMetrics m) {
        closeBar();
        out.printf("%s epoch %d: lr %s, train loss %.4g acc %.2f%%, test loss %.4g acc %.2f%%, %.1f s, %.0f img/s%n",
                run, m.epoch(), m.learningRate(), m.trainLoss(), 100 * m.trainAccuracy(), m.testLoss(),
                100 * m.testAccuracy(), m.epochSeconds(), m.trainImagesPerSecond());
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
