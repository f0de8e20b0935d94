package org.bnlab.report;

import org.bnlab.experiment.Reference;
import org.bnlab.report.stats.SampleSummary;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The paper-vs-measured table ({@code references.csv}): for each published value, the runs it refers to and what
 * they measured (matched as values against every resolved setting of a run, not only those that vary) (mean, sd and n over seeds, in the reference's metric: test error or final test accuracy, percent),
 * and measured minus published.
 */
final class ReferenceTable {

    private ReferenceTable() {
    }

    static Table build(ResultsFolder folder) {
        StringColumn match = StringColumn.create("runs");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn published = DoubleColumn.create("published");
        StringColumn source = StringColumn.create("source");
        DoubleColumn mean = DoubleColumn.create("measured_mean");
        DoubleColumn sd = DoubleColumn.create("measured_sd");
        IntColumn n = IntColumn.create("measured_n");
        DoubleColumn difference = DoubleColumn.create("measured_minus_published");
        for (Reference reference : folder.references()) {
            double[] values = folder.runs().stream().filter(r -> r.matches(reference.match()))
                    .mapToDouble(r -> reference.metric().equals(Reference.TEST_ERROR)
                            ? 100 - r.finalPercent() : r.finalPercent())
                    .toArray();
            SampleSummary s = SampleSummary.of(values);
            match.append(String.join(", ", reference.match().entrySet().stream()
                    .map(e -> folder.shortName(e.getKey()) + "=" + e.getValue()).sorted().toList()));
            metric.append(reference.metric());
            published.append(reference.value());
            source.append(reference.source());
            mean.append(Numbers.round4(s.mean()));
            sd.append(Numbers.round4(s.sd()));
            n.append(s.n());
            difference.append(Numbers.round4(s.mean() - reference.value()));
        }
        for (DoubleColumn c : java.util.List.of(mean, sd, difference)) {
            c.setPrintFormatter(Numbers.formatter("0.00"));
        }
        return Table.create("Published vs measured", match, metric, published, source, mean, sd, n, difference);
    }
}
