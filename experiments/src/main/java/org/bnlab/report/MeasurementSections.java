package org.bnlab.report;

import org.bnlab.measure.MeasuredRun;
import org.bnlab.measure.Measurement;
import org.bnlab.measure.MeasurementReport;
import org.bnlab.measure.Measurements;
import org.bnlab.results.RunFolder;
import org.bnlab.spec.ConfigJson;
import org.bnlab.spec.RunSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report parts of the registered measurements ({@link Measurements#ALL}, in its order), each read from the
 * finished runs' record files: one section for all of them, so that a measurement brings its report part with its
 * registration and needs no line here.
 */
final class MeasurementSections implements ReportSection {

    private final List<MeasurementReport> parts = new ArrayList<>();

    MeasurementSections(ExperimentReport report) {
        this(report, Measurements.ALL);
    }

    /** The parts of {@code measurements} (a test registers its own). */
    MeasurementSections(ExperimentReport report, List<Measurement> measurements) {
        ResultsFolder folder = report.folder();
        List<RunFolder> runFolders = RunFolder.findFinished(report.dir());
        List<MeasuredRun> runs = new ArrayList<>();
        // ResultsFolder lists the finished runs in the order RunFolder.findFinished gives them
        for (int i = 0; i < Math.min(runFolders.size(), folder.runs().size()); i++) {
            ReportRun run = folder.runs().get(i);
            RunFolder runFolder = runFolders.get(i);
            runs.add(new MeasuredRun(runFolder.name(), folder.armLabel(run), runFolder, spec(runFolder)));
        }
        measurements.forEach(m -> parts.add(m.report(folder.name(), List.copyOf(runs))));
    }

    private static RunSpec spec(RunFolder run) {
        try {
            return ConfigJson.read(run.configFile());
        } catch (RuntimeException e) {
            return null; // written before the run specification had a key: the parts use their defaults
        }
    }

    @Override
    public List<String> writeTo(Path dir) {
        List<String> plots = new ArrayList<>();
        parts.forEach(part -> plots.addAll(part.writeTo(dir)));
        return plots;
    }

    @Override
    public String markdown(List<String> plots) {
        StringBuilder md = new StringBuilder();
        parts.forEach(part -> md.append(part.markdown()));
        return md.toString();
    }
}
