package org.bnlab.cli;

import org.bnlab.data.Layout;
import org.bnlab.model.KernelPath;
import picocli.CommandLine.ITypeConverter;

import java.util.Locale;

/** picocli converters for the lower-case names users type; an unknown name fails with the list of valid ones. */
final class Converters {

    private Converters() {
    }

    static final class KernelPathConverter implements ITypeConverter<KernelPath> {
        @Override
        public KernelPath convert(String value) {
            return KernelPath.parse(value);
        }
    }

    static final class LayoutConverter implements ITypeConverter<Layout> {
        @Override
        public Layout convert(String value) {
            try {
                return Layout.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown layout '" + value + "' (expected nchw or nhwc)");
            }
        }
    }
}
