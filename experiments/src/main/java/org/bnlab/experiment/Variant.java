package org.bnlab.experiment;

import org.bnlab.model.Initialization;
import org.bnlab.model.Normalization;

/**
 * One arm of a comparison: what differs between its runs.
 *
 * @param normalization BatchNorm or none
 * @param init          He or zero-initialised residual branches
 * @param learningRate  the initial learning rate
 */
public record Variant(Normalization normalization, Initialization init, double learningRate) {

    /** A short, file-name-safe id such as {@code bn-he-lr0.1}. */
    public String id() {
        String norm = normalization == Normalization.BATCHNORM ? "bn" : "nobn";
        return norm + "-" + init.id() + "-lr" + formatRate(learningRate);
    }

    static String formatRate(double rate) {
        String text = java.math.BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
        return text;
    }
}
