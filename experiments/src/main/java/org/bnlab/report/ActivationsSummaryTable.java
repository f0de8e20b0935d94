package org.bnlab.report;

import java.util.List;

import org.bnlab.results.ActivationRow;
import org.bnlab.results.LayerActivationStats;
import org.bnlab.results.RunSummary;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Builds the activations table of a results folder ({@code activations-summary.csv}): for every run that recorded
 * activation statistics, one row per layer of its last snapshot (the last iteration sampled in its final epoch;
 * for a diverged run, the last before it stopped), layers in network order. Runs without {@code activations.csv}
 * (recorded with {@code --stats-every 0}) have no rows.
 *
 * <p>Columns: {@code run}, {@code arm} (the run's values of what varies, seed aside), {@code epoch, iteration} (of the snapshot),
 * then {@code layer, kind, shape, mean, std, min, max, mean_abs, zero_fraction} as in {@code activations.csv}.
 * Values are not rounded: activations span many orders of magnitude (a run without BN can reach 1e30 before it
 * diverges), and a fixed number of decimals would flatten the small ones to zero. Tablesaw writes a NaN as an
 * empty cell.
 */
final class ActivationsSummaryTable {

    private ActivationsSummaryTable() {
    }

    static Table build(ResultsFolder folder) {
        StringColumn run = StringColumn.create("run");
        StringColumn arm = StringColumn.create("arm");
        IntColumn epoch = IntColumn.create("epoch");
        LongColumn iteration = LongColumn.create("iteration");
        StringColumn layer = StringColumn.create("layer");
        StringColumn kind = StringColumn.create("kind");
        StringColumn shape = StringColumn.create("shape");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn std = DoubleColumn.create("std");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        DoubleColumn meanAbs = DoubleColumn.create("mean_abs");
        DoubleColumn zeroFraction = DoubleColumn.create("zero_fraction");

        for (ReportRun reportRun : folder.runs()) {
            FinishedRun r = reportRun.finished();
            RunSummary summary = r.summary();
            for (ActivationRow row : r.lastActivationSnapshot()) {
                LayerActivationStats s = row.stats();
                run.append(summary.run());
                arm.append(folder.armLabel(reportRun));
                epoch.append(row.epoch());
                iteration.append(row.iteration());
                layer.append(s.layer());
                kind.append(s.kind());
                shape.append(s.shape());
                mean.append(s.mean());
                std.append(s.std());
                min.append(s.min());
                max.append(s.max());
                meanAbs.append(s.meanAbs());
                zeroFraction.append(s.zeroFraction());
            }
        }
        return Table.create("Activations at the last snapshot", run, arm, epoch, iteration, layer,
                kind, shape, mean, std, min, max, meanAbs, zeroFraction);
    }
}
