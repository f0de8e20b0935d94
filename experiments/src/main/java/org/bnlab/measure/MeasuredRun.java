package org.bnlab.measure;

import org.bnlab.results.RunFolder;
import org.bnlab.spec.RunSpec;

/**
 * A finished run as a measurement's report part sees it.
 *
 * @param run    the run id
 * @param arm    the run's arm: its values of what varies between the runs, seed aside (the report's label)
 * @param folder the run's folder, holding its record files
 * @param spec   the run's specification as its {@code config.json} records it; null when that file cannot be read
 *               (a folder written before a key existed), so that a report part falls back to the defaults
 */
public record MeasuredRun(String run, String arm, RunFolder folder, RunSpec spec) {
}
