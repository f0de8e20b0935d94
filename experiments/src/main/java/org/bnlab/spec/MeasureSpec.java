package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.bnlab.spec.SettingKind.AddedLater;
import org.bnlab.spec.SettingKind.ReportOnly;

import java.util.List;

/**
 * What a run records besides its per-epoch metrics: the settings of the measurements registered in
 * {@code org.bnlab.measure.Measurements}, each new one marked {@link AddedLater} (and {@link ReportOnly} where
 * training does not read it), which decides how it counts for a run's id.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"activation_stats_every", "probe_every", "probe_images", "probe_layers", "layer_response_images",
        "init_gradients", "ics_every", "ics_layers", "landscape_every", "landscape_steps"})
public record MeasureSpec(
        @JsonPropertyDescription("training iterations between snapshots of per-layer activation statistics (mean, "
                + "std, min, max, mean |x|, zero fraction) written to the run's `activations.csv`, starting with the "
                + "initialised network; 0 records none")
        int activationStatsEvery,
        @JsonPropertyDescription("training iterations between probe snapshots (written to `probe.csv`): a fixed, "
                + "seeded batch of test images passed through the network in inference mode, giving per layer the "
                + "15th, 50th and 85th percentiles, mean and std of its pre-activation (Ioffe and Szegedy 2015, "
                + "Figure 1), the gap between BN's running and batch statistics, gradient and weight norms and the "
                + "fraction of gammas near zero; starting with the initialised network; 0 records none; `auto` (the "
                + "default): about 25 snapshots per run within the probe's 5% share of the training time")
        @AddedLater @JsonSerialize(using = ProbeEveryCodec.Writer.class)
        @JsonDeserialize(using = ProbeEveryCodec.Reader.class) int probeEvery,
        @JsonPropertyDescription("images in the probe batch, >= 2")
        @AddedLater int probeImages,
        @JsonPropertyDescription("the layers whose percentiles the report plots over training; empty = the first, a "
                + "middle and the last weight layer")
        @AddedLater @ReportOnly List<String> probeLayers,
        @JsonPropertyDescription("test images (a fixed sample drawn with the run's seed) on which the standard "
                + "deviation of every 3x3 convolution's response is measured at initialisation and at the end of "
                + "training, written to `layer-responses.csv` (He et al. 2016, Figure 7: after BN, before the ReLU "
                + "and the addition; inference mode); 0 (the default) records none")
        @AddedLater int layerResponseImages,
        @JsonPropertyDescription("whether to record, at iteration 0 on the probe batch (`measure.probe_images`), the "
                + "L2 norm of the loss gradient with respect to each weight layer's weights and its input, written "
                + "to `gradients.csv` (Yang et al. 2019: gradient explosion with depth at initialisation)")
        @AddedLater boolean initGradients,
        @JsonPropertyDescription("training steps between measurements of internal covariate shift (Santurkar et al. "
                + "2018, Definition 2.1), written to `ics.csv`: on the step's own batch, per weight layer, the L2 "
                + "distance and the cosine between the loss gradient with respect to its weights before and after "
                + "the layers below it take this step's update; starting at step 0; each measurement costs about 2 "
                + "steps plus one gradient per measured layer; training is unchanged; 0 (the default) records none")
        @AddedLater int icsEvery,
        @JsonPropertyDescription("how many weight layers the internal covariate shift is measured at, evenly spaced "
                + "from the second weight layer to the last (the first has no layer below it); 0 (the default) = "
                + "every weight layer (ResNet-20: 21, one gradient each)")
        @AddedLater int icsLayers,
        @JsonPropertyDescription("training iterations between measurements of the loss landscape along the "
                + "gradient (Santurkar et al. 2018, section 3.1 and Figure 4), written to `landscape.csv`: on the "
                + "step's own batch, BN with the batch's statistics, for each step size eta of "
                + "`measure.landscape_steps` the loss L(w - eta g), the gradient change ||g - grad L(w - eta g)|| "
                + "and the effective beta-smoothness (that change over ||eta g||); everything restored afterwards, "
                + "so training is the same as without; costs about 1 + (step sizes) training steps each: 125 keeps "
                + "it within 5% of the training time with the 4 default step sizes; 0 (the default) records none")
        @AddedLater int landscapeEvery,
        @JsonPropertyDescription("the step sizes of the landscape measurement as multiples of the learning rate at "
                + "the measured step (the first weight layer's), each > 0, distinct")
        @AddedLater List<Double> landscapeSteps) {

    /** {@code probe_every: auto}: the interval follows from the run's length, see {@link #probeInterval}. */
    public static final int AUTO = -1;

    /** Snapshots an automatic interval aims at over a run (a curve of about this many points per arm). */
    public static final int AUTO_SNAPSHOTS = 25;

    /** The share of training time the probe may cost. */
    public static final double PROBE_BUDGET = 0.05;

    /**
     * A snapshot's cost in training steps of batch 128 per probe image: ResNet-20, 2-core Intel Xeon, shared machine,
     * snapshot against step timed alternately: median 1.9 steps at 64 images, 0.84 at 32, 0.39 at 16.
     */
    static final double STEPS_PER_PROBE_IMAGE = 0.03;

    /** {@code measure.landscape_steps}' default: multiples of the learning rate. */
    public static final List<Double> LANDSCAPE_STEPS = List.of(0.5, 1.0, 2.0, 4.0);

    public static final MeasureSpec DEFAULT = new MeasureSpec(20, AUTO, 64, List.of(), 0, false, 0, 0, 0,
            LANDSCAPE_STEPS);

    public MeasureSpec {
        require(activationStatsEvery >= 0, "activation_stats_every",
                "activation_stats_every must be >= 0 (0 = off), got "
                + activationStatsEvery);
        require(probeEvery >= 0 || probeEvery == AUTO, "probe_every",
                "probe_every must be auto or >= 0 (0 = off), got " + probeEvery);
        require(probeImages >= 2, "probe_images", "probe_images must be >= 2, got " + probeImages);
        require(probeLayers != null, "probe_layers", "probe_layers must be a list (empty = chosen automatically)");
        probeLayers = List.copyOf(probeLayers);
        require(layerResponseImages >= 0, "layer_response_images",
                "layer_response_images must be >= 0 (0 = off), got " + layerResponseImages);
        require(icsEvery >= 0, "ics_every", "ics_every must be >= 0 (0 = off), got " + icsEvery);
        require(icsLayers >= 0, "ics_layers", "ics_layers must be >= 0 (0 = every weight layer), got " + icsLayers);
        require(landscapeEvery >= 0, "landscape_every", "landscape_every must be >= 0 (0 = off), got "
                + landscapeEvery);
        require(landscapeSteps != null && !landscapeSteps.isEmpty(), "landscape_steps",
                "landscape_steps must be a non-empty list of step sizes (multiples of the learning rate)");
        for (Double step : landscapeSteps) {
            require(step != null && Double.isFinite(step) && step > 0, "landscape_steps",
                    "landscape_steps must be finite numbers > 0, got " + step);
        }
        require(landscapeSteps.stream().distinct().count() == landscapeSteps.size(), "landscape_steps",
                "landscape_steps must be distinct, got " + landscapeSteps);
        landscapeSteps = List.copyOf(landscapeSteps);
    }

    /** The probe's settings as given, the later measurements off. */
    public MeasureSpec(int activationStatsEvery, int probeEvery, int probeImages, List<String> probeLayers) {
        this(activationStatsEvery, probeEvery, probeImages, probeLayers, DEFAULT.layerResponseImages,
                DEFAULT.initGradients, DEFAULT.icsEvery, DEFAULT.icsLayers, DEFAULT.landscapeEvery,
                DEFAULT.landscapeSteps);
    }

    /**
     * The probe interval a run of {@code iterations} training steps of {@code batchSize} images uses: {@code
     * probe_every} as given, or for {@code auto} about {@value #AUTO_SNAPSHOTS} snapshots over the run, but never
     * so often that the snapshots cost more than {@link #PROBE_BUDGET} of training time (a snapshot costs about
     * 0.03 steps of batch 128 per probe image: with 64 images at batch 128, one every 39 steps or more). So a
     * 188-step run gets a snapshot every 39 steps (5 with the initial one); 20,000 steps, one every 800.
     *
     * @return iterations between snapshots, >= 1; 0 when the probe is off
     */
    public int probeInterval(long iterations, int batchSize) {
        if (probeEvery != AUTO) {
            return probeEvery;
        }
        double snapshotSteps = STEPS_PER_PROBE_IMAGE * probeImages * 128.0 / batchSize;
        long cheapest = (long) Math.ceil(snapshotSteps / PROBE_BUDGET);
        long spread = (iterations + AUTO_SNAPSHOTS - 1) / AUTO_SNAPSHOTS;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.max(cheapest, spread)));
    }

    /** Activation statistics every {@code activationStatsEvery} iterations, the probe at its defaults. */
    public MeasureSpec(int activationStatsEvery) {
        this(activationStatsEvery, DEFAULT.probeEvery, DEFAULT.probeImages, DEFAULT.probeLayers,
                DEFAULT.layerResponseImages, DEFAULT.initGradients, DEFAULT.icsEvery, DEFAULT.icsLayers,
                DEFAULT.landscapeEvery, DEFAULT.landscapeSteps);
    }
}
