package org.bnlab.experiment;

import java.nio.file.Path;

/** Prints the run ids an experiment file expands to, one a line (run in a child JVM by ExperimentPlanTest). */
public final class PrintPlanIds {

    private PrintPlanIds() {
    }

    public static void main(String[] args) {
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(Path.of(args[0])));
        plan.runs().forEach(run -> System.out.println(run.id()));
    }
}
