package org.bnlab.analysis;

import java.util.List;
import java.util.Locale;

/**
 * One evaluation of a trained model: a mode, the statistics BN normalised with, the setting (test batch size, or
 * shift and severity) and the metrics. A row of {@code <run>/analysis/rows-<mode>.csv}.
 *
 * @param mode            {@code running}, {@code batch}, {@code precise} or {@code adabn}
 * @param statistics      what BN normalised with: {@code running} (stored moving averages), {@code batch} (each
 *                        test batch's own), {@code precise} (re-estimated on training batches), {@code source} (the
 *                        stored ones, on shifted data), {@code adapted} (re-estimated on the shifted data); {@code
 *                        none} for a network without BN, where they are all the same
 * @param testBatchSize   the test batch size of the {@code batch} mode, 0 otherwise
 * @param shift           the shift of the {@code adabn} mode, empty otherwise
 * @param severity        its severity 1 to 5, 0 otherwise
 * @param images          images evaluated
 * @param accuracyPct     top-1 accuracy, percent
 * @param loss            mean cross-entropy, nats
 * @param confidencePct   mean highest probability, percent
 * @param ecePct          expected calibration error, percent
 * @param imagesPerSecond evaluation speed (re-estimation not included), images per second
 */
public record AnalysisRow(String mode, String statistics, int testBatchSize, String shift, int severity, int images,
                          double accuracyPct, double loss, double confidencePct, double ecePct,
                          double imagesPerSecond) {

    /** The columns that say which evaluation a row is (the rest are its measurements), in {@link #HEADER}'s order. */
    public static final List<String> KEY_COLUMNS = List.of("mode", "statistics", "test_batch_size", "shift",
            "severity");

    public static final String HEADER = "mode,statistics,test_batch_size,shift,severity,images,accuracy_pct,loss,"
            + "mean_confidence_pct,ece_pct,images_per_s";

    /** The row of {@code metrics}. */
    public static AnalysisRow of(String mode, String statistics, int testBatchSize, String shift, int severity,
                                 ModelMetrics metrics, double imagesPerSecond) {
        return new AnalysisRow(mode, statistics, testBatchSize, shift, severity, metrics.images(),
                100 * metrics.accuracy(), metrics.loss(), 100 * metrics.meanConfidence(), 100 * metrics.ece(),
                imagesPerSecond);
    }

    /** The same measurement under another mode label (a network without BN: every mode is the running one). */
    public AnalysisRow as(String mode, String statistics, int testBatchSize, String shift, int severity) {
        return new AnalysisRow(mode, statistics, testBatchSize, shift, severity, images, accuracyPct, loss,
                confidencePct, ecePct, imagesPerSecond);
    }

    public String csv() {
        return String.join(",", mode, statistics, Integer.toString(testBatchSize), shift, Integer.toString(severity),
                Integer.toString(images), number(accuracyPct), number(loss), number(confidencePct), number(ecePct),
                String.format(Locale.ROOT, "%.1f", imagesPerSecond));
    }

    static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** Parses a line written by {@link #csv()}. */
    public static AnalysisRow parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 11) {
            throw new IllegalArgumentException("expected 11 fields, got " + f.length + ": " + line);
        }
        return new AnalysisRow(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]),
                Integer.parseInt(f[5]), value(f[6]), value(f[7]), value(f[8]), value(f[9]), value(f[10]));
    }

    private static double value(String text) {
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }
}
