package org.bnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A run's config.json runs that run again: the same specification, so the same hash (and folder name). */
class RerunFromConfigTest {

    @TempDir
    Path tmp;

    @Test
    void aConfigJsonExpandsToExactlyItsRun() throws Exception {
        RunSpec spec = RunSpec.DEFAULT.withSeed(7);
        spec = new RunSpec(spec.data(), new org.bnlab.spec.ModelSpec(spec.model().architecture(), 8,
                spec.model().shortcut(), NoNorm.DEFAULT, spec.model().init(), List.of(), null), spec.train(), spec.eval(), spec.measure(), spec.execution(), 7);
        Path config = Files.writeString(tmp.resolve("config.json"), org.bnlab.spec.ConfigJson.write(spec));
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentOptions.fromRunConfig(config));
        assertEquals(1, plan.runs().size());
        assertEquals(spec, plan.runs().get(0).spec());
        assertEquals(SpecCodec.hash(spec), plan.runs().get(0).hash());

        ExperimentPlan changed = ExperimentPlan.expand(ExperimentOptions.fromRunConfig(config),
                List.of("train.epochs=1"), List.of());
        assertEquals(1, changed.runs().get(0).spec().train().epochs());
    }
}
