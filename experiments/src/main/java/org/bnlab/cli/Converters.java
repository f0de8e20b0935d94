package org.bnlab.cli;

import org.bnlab.data.Layout;
import org.bnlab.model.KernelPath;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** picocli converters for the lower-case names users type; an unknown name fails with the list of valid ones (a
 * {@link TypeConversionException}, so picocli prints the message without its own wrapping). */
final class Converters {

    private Converters() {
    }

    static final class KernelPathConverter implements ITypeConverter<KernelPath> {
        @Override
        public KernelPath convert(String value) {
            try {
                return KernelPath.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class NormalizerConverter implements ITypeConverter<org.bnlab.norm.Normalizer> {
        @Override
        public org.bnlab.norm.Normalizer convert(String value) {
            return org.bnlab.norm.Normalizers.named(value).orElseThrow(() -> new TypeConversionException(
                    "unknown normalizer '" + value + "' (expected " + org.bnlab.norm.Normalizers.names() + ")"));
        }
    }

    static final class LayoutConverter implements ITypeConverter<Layout> {
        @Override
        public Layout convert(String value) {
            try {
                return Layout.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown layout '" + value + "' (expected nchw or nhwc)");
            }
        }
    }
}
