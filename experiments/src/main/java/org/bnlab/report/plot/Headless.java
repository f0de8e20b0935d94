package org.bnlab.report.plot;

/**
 * Makes AWT run headless unless the caller decided otherwise. Plots are rendered into images on servers and in
 * tests, where there is no display; without {@code java.awt.headless=true} AWT may try to open one and fail.
 * The property is only read when AWT's graphics environment starts, so every plot class calls
 * {@link #ensure()} from its static initializer, before it touches AWT.
 */
final class Headless {

    static {
        ensure();
    }

    private Headless() {
    }

    /** Sets {@code java.awt.headless=true} unless the property is already set (to anything). */
    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
