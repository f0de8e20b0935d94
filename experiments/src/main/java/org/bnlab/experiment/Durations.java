package org.bnlab.experiment;

import java.time.Duration;

/** Durations as people read them: {@code 45s}, {@code 7m 05s}, {@code 3h 20m}. */
public final class Durations {

    private Durations() {
    }

    public static String format(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        if (d.toHours() > 0) {
            return String.format("%dh %02dm", d.toHours(), d.toMinutesPart());
        }
        return d.toMinutes() > 0 ? String.format("%dm %02ds", d.toMinutes(), d.toSecondsPart()) : d.toSeconds() + "s";
    }
}
