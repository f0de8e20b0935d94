package org.bnlab.data;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic, seeded distribution shifts of an {@link ImageSet} in the spirit of CIFAR-10-C (Hendrycks and
 * Dietterich 2019, "Benchmarking Neural Network Robustness to Common Corruptions and Perturbations", ICLR; their
 * CIFAR code {@code make_cifar_c.py}), which cannot be downloaded here. Each shift works on pixels scaled to [0, 1],
 * clips to [0, 1] and re-quantises to uint8 (rounding to the nearest of 0..255), as the source images are stored.
 *
 * <p>Severity constants {@code c} (severity 1 to 5), from the CIFAR-10-C code:
 * <ul>
 *   <li>{@link #BRIGHTNESS}: add {@code c} = .1, .2, .3, .4, .5 to the HSV value (to the gray level of a
 *       one-channel image);</li>
 *   <li>{@link #CONTRAST}: {@code (x - m) * c + m} with {@code m} each channel's mean over the image,
 *       {@code c} = .75, .5, .4, .3, .15;</li>
 *   <li>{@link #GAUSSIAN_NOISE}: add independent N(0, {@code c}^2) noise per pixel and channel,
 *       {@code c} = .04, .06, .08, .09, .10;</li>
 *   <li>{@link #GAUSSIAN_BLUR}: a Gaussian filter of standard deviation {@code c} pixels per channel,
 *       {@code c} = .4, .6, .7, .8, 1 (truncated at 4 sigma, edges repeated, as scikit-image's {@code gaussian}).</li>
 * </ul>
 * Only the noise is random; it is drawn from a generator seeded by (seed, shift, severity, image index), so the same
 * seed gives the same bytes whatever else is shifted, and another seed other noise.
 */
public enum Shift {
    BRIGHTNESS("brightness", 0.1, 0.2, 0.3, 0.4, 0.5),
    CONTRAST("contrast", 0.75, 0.5, 0.4, 0.3, 0.15),
    GAUSSIAN_NOISE("gaussian_noise", 0.04, 0.06, 0.08, 0.09, 0.10),
    GAUSSIAN_BLUR("gaussian_blur", 0.4, 0.6, 0.7, 0.8, 1.0);

    private final String id;
    private final double[] constants;

    Shift(String id, double... constants) {
        this.id = id;
        this.constants = constants;
    }

    /** The name in specifications and tables, e.g. {@code gaussian_noise}. */
    public String id() {
        return id;
    }

    /** The severity constant {@code c} of severity 1 to 5 (see the class comment for its meaning per shift). */
    public double constant(int severity) {
        if (severity < 1 || severity > constants.length) {
            throw new DatasetException("shift severity must be 1 to 5, got " + severity);
        }
        return constants[severity - 1];
    }

    /** The shift called {@code id} ({@code brightness}, {@code contrast}, {@code gaussian_noise}, {@code gaussian_blur}). */
    public static Shift parse(String id) {
        for (Shift s : values()) {
            if (s.id.equals(id.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new DatasetException("unknown shift '" + id + "'; choose from "
                + List.of(values()).stream().map(Shift::id).toList());
    }

    /**
     * A shifted copy of {@code images} (same size, labels and class names); {@code images} is not changed.
     *
     * @param severity 1 (mild) to 5 (strong)
     * @param seed     seeds the noise of {@link #GAUSSIAN_NOISE}; the other shifts do not depend on it
     */
    public ImageSet apply(ImageSet images, int severity, long seed) {
        double c = constant(severity);
        int bytes = images.imageBytes();
        byte[] source = images.pixels();
        byte[] out = new byte[source.length];
        float[] x = new float[bytes];
        float[] scratch = new float[bytes];
        for (int i = 0; i < images.size(); i++) {
            int offset = i * bytes;
            for (int k = 0; k < bytes; k++) {
                x[k] = (source[offset + k] & 0xFF) / 255f;
            }
            switch (this) {
                case BRIGHTNESS -> brightness(x, images.channels(), c);
                case CONTRAST -> contrast(x, images.channels(), c);
                case GAUSSIAN_NOISE -> noise(x, c, new Random(mix(seed, ordinal(), severity, i)));
                case GAUSSIAN_BLUR -> blur(x, scratch, images.height(), images.width(), images.channels(), c);
            }
            for (int k = 0; k < bytes; k++) {
                out[offset + k] = (byte) Math.round(Math.min(1f, Math.max(0f, x[k])) * 255f);
            }
        }
        return new ImageSet(out, images.labels(), images.height(), images.width(), images.channels(),
                images.classNames());
    }

    /** A 64-bit mix of the seed and the image's coordinates (SplitMix64's finaliser), for per-image generators. */
    static long mix(long seed, int shift, int severity, int image) {
        long z = seed * 0x9E3779B97F4A7C15L + shift * 0xBF58476D1CE4E5B9L + severity * 0x94D049BB133111EBL + image;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void brightness(float[] x, int channels, double c) {
        if (channels != ImageSet.RGB) {
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) Math.min(1, x[k] + c);
            }
            return;
        }
        for (int k = 0; k < x.length; k += 3) {
            float r = x[k], g = x[k + 1], b = x[k + 2];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float v = (float) Math.min(1, max + c);
            if (max <= 0) { // black: hue and saturation 0, so gray at the new value
                x[k] = x[k + 1] = x[k + 2] = v;
                continue;
            }
            // same hue and saturation (s = (max - min) / max), new value: each channel scales linearly between
            // the new minimum v * (1 - s) and v
            float s = (max - min) / max;
            for (int ch = 0; ch < 3; ch++) {
                float t = max == min ? 1 : (x[k + ch] - min) / (max - min);
                x[k + ch] = v * (1 - s) + t * (v * s);
            }
        }
    }

    private static void contrast(float[] x, int channels, double c) {
        for (int ch = 0; ch < channels; ch++) {
            double sum = 0;
            for (int k = ch; k < x.length; k += channels) {
                sum += x[k];
            }
            double mean = sum / (x.length / channels);
            for (int k = ch; k < x.length; k += channels) {
                x[k] = (float) ((x[k] - mean) * c + mean);
            }
        }
    }

    private static void noise(float[] x, double sigma, Random random) {
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) (x[k] + sigma * random.nextGaussian());
        }
    }

    private static void blur(float[] x, float[] tmp, int height, int width, int channels, double sigma) {
        int radius = (int) (4.0 * sigma + 0.5);
        double[] w = new double[2 * radius + 1];
        double total = 0;
        for (int d = -radius; d <= radius; d++) {
            w[d + radius] = Math.exp(-0.5 * d * d / (sigma * sigma));
            total += w[d + radius];
        }
        for (int d = 0; d < w.length; d++) {
            w[d] /= total;
        }
        // rows, then columns; edges repeated ("nearest")
        for (int y = 0; y < height; y++) {
            for (int xx = 0; xx < width; xx++) {
                for (int ch = 0; ch < channels; ch++) {
                    double acc = 0;
                    for (int d = -radius; d <= radius; d++) {
                        int xs = Math.min(width - 1, Math.max(0, xx + d));
                        acc += w[d + radius] * x[(y * width + xs) * channels + ch];
                    }
                    tmp[(y * width + xx) * channels + ch] = (float) acc;
                }
            }
        }
        for (int y = 0; y < height; y++) {
            for (int xx = 0; xx < width; xx++) {
                for (int ch = 0; ch < channels; ch++) {
                    double acc = 0;
                    for (int d = -radius; d <= radius; d++) {
                        int ys = Math.min(height - 1, Math.max(0, y + d));
                        acc += w[d + radius] * tmp[(ys * width + xx) * channels + ch];
                    }
                    x[(y * width + xx) * channels + ch] = (float) acc;
                }
            }
        }
    }
}
