package org.bnlab.data.cifar;

/** Which of the two labels of a CIFAR-100 record to use. */
public enum Cifar100Labels {
    /** The 100 classes (second label byte, names in {@code fine_label_names.txt}). */
    FINE,
    /** The 20 superclasses (first label byte, names in {@code coarse_label_names.txt}). */
    COARSE
}
