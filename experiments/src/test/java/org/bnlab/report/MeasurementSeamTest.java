package org.bnlab.report;

import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.io.AtomicFiles;
import org.bnlab.measure.MeasuredRun;
import org.bnlab.measure.Measurement;
import org.bnlab.measure.MeasurementReport;
import org.bnlab.measure.Measurements;
import org.bnlab.measure.RecordingContext;
import org.bnlab.results.RecordFile;
import org.bnlab.results.RunFolder;
import org.bnlab.testing.Home;
import org.bnlab.train.TrainingRecorder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A toy measurement plugged in through the measurement seam alone ({@link Measurement}, a {@link RecordFile}, its
 * report part): its recorder writes its record file, and the report's measurement section writes its table and
 * Markdown, with no other class knowing of it.
 */
class MeasurementSeamTest {

    @TempDir
    Path tmp;

    /** One row per step: the step number, twice it as the value. */
    record ToyRow(int epoch, long iteration, double value) {
    }

    static final class Toy implements Measurement {
        static final RecordFile<ToyRow> RECORDS = RecordFile.of("toy.csv", "epoch,iteration,value",
                r -> List.of(r.epoch(), r.iteration(), r.value()),
                f -> new ToyRow(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()),
                        RecordFile.number(f[2])),
                ToyRow::epoch);

        @Override
        public String name() {
            return "toy";
        }

        @Override
        public Optional<TrainingRecorder> recorder(RecordingContext run) {
            return run.iterations() == 0 ? Optional.empty() : Optional.of(new TrainingRecorder() {
                private final List<ToyRow> rows = new ArrayList<>();
                private int epoch;
                private long step;

                @Override
                public TrainingListener listener() {
                    return new BaseTrainingListener() {
                    };
                }

                @Override
                public void beforeIteration(ComputationGraph net) {
                    rows.add(new ToyRow(epoch, step, 2.0 * step));
                    step++;
                }

                @Override
                public void startEpoch(int epoch) {
                    this.epoch = epoch;
                    rows.clear();
                }

                @Override
                public void epochDone(int epoch, RunFolder folder) {
                    RECORDS.writeEpoch(folder, epoch, List.copyOf(rows));
                }
            });
        }

        @Override
        public MeasurementReport report(String experiment, List<MeasuredRun> runs) {
            StringBuilder csv = new StringBuilder("arm,run,last_value\n");
            for (MeasuredRun run : runs) {
                List<ToyRow> rows = RECORDS.read(run.folder());
                if (!rows.isEmpty()) {
                    csv.append(run.arm()).append(',').append(run.run()).append(',')
                            .append(rows.get(rows.size() - 1).value()).append('\n');
                }
            }
            return new MeasurementReport() {
                @Override
                public List<String> writeTo(Path dir) {
                    AtomicFiles.writeString(dir.resolve("toy-summary.csv"), csv.toString());
                    return List.of();
                }

                @Override
                public String markdown() {
                    return "\n## Toy\n\n" + experiment + ": `toy-summary.csv`.\n";
                }
            };
        }
    }

    @Test
    void aToyMeasurementIsRecordedAndReportedThroughTheSeamAlone() throws Exception {
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(Home.defaultExperiment()));
        Path dir = tmp.resolve("bn-vs-nobn");
        PlanFixtures.experiment(dir, plan);
        PlannedRun first = plan.runs().get(0);
        PlanFixtures.completed(dir, plan, first, 0.4, 0.5);
        PlanFixtures.completed(dir, plan, plan.runs().get(1), 0.3, 0.35);

        List<TrainingRecorder> recorders = Measurements.recorders(List.of(new Toy()),
                new RecordingContext(first.spec(), 4, 128, (images, seed) -> {
                    throw new AssertionError("the toy draws no images");
                }));
        assertEquals(1, recorders.size());
        TrainingRecorder toy = recorders.get(0);
        RunFolder folder = RunFolder.at(dir.resolve(first.id()));
        for (int epoch = 1; epoch <= 2; epoch++) {
            toy.startEpoch(epoch);
            toy.beforeIteration(null);
            toy.beforeIteration(null);
            toy.epochDone(epoch, folder);
        }
        assertEquals("epoch,iteration,value\n1,0,0.0\n1,1,2.0\n2,2,4.0\n2,3,6.0\n",
                Files.readString(dir.resolve(first.id()).resolve("toy.csv")));
        assertTrue(Measurements.recorders(List.of(new Toy()), new RecordingContext(first.spec(), 0, 128,
                (images, seed) -> null)).isEmpty(), "off: no recorder");

        ExperimentReport report = ExperimentReport.build(dir, 0.6);
        MeasurementSections section = new MeasurementSections(report, List.of(new Toy()));
        Path out = tmp.resolve("report");
        Files.createDirectories(out);
        assertEquals(List.of(), section.writeTo(out));
        assertEquals("arm,run,last_value\n" + report.folder().armLabel(report.folder().runs().stream()
                        .filter(r -> r.finished().summary().run().equals(first.id())).findFirst().orElseThrow())
                        + "," + first.id() + ",6.0\n",
                Files.readString(out.resolve("toy-summary.csv")), "only the run that recorded it");
        assertEquals("\n## Toy\n\nbn-vs-nobn: `toy-summary.csv`.\n", section.markdown(List.of()));
    }
}
