package org.bnlab.experiment;

import org.bnlab.data.Layout;
import org.bnlab.model.KernelPath;
import org.bnlab.model.NetworkFactory;
import org.bnlab.model.NetworkInput;
import org.bnlab.spec.GroupsSpec;
import org.bnlab.spec.ModelSpec;
import org.bnlab.spec.PhasesSpec;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.TrainSpec;
import org.bnlab.train.Updaters;
import org.bnlab.train.ParameterGroups;
import org.bnlab.train.TrainingRecipe;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A run's network from its specification: the architecture's {@link NetworkFactory} (registered in
 * {@code model.Architecture}) builds the graph with the run's normalizer and kernel path; the optimizer and the
 * parameter groups' own settings ({@code train.groups}, {@code train.phases}) come from {@link Updaters} and
 * {@link ParameterGroups}.
 */
public final class RunNetwork {

    private RunNetwork() {
    }

    /** What the specification's network is built for, on images of the described data. */
    public static NetworkInput input(RunSpec spec, int imageSize, int channels, int classes) {
        return new NetworkInput(imageSize, channels, classes, spec.execution().layout(), spec.execution().kernels());
    }

    /** {@link #input(RunSpec, int, int, int)} for the described data. */
    static NetworkInput input(RunSpec spec, ExperimentData.Description data) {
        return input(spec, data.imageSize(), data.channels(), data.classes());
    }

    /** The architecture's factory. */
    public static NetworkFactory factory(RunSpec spec) {
        return spec.model().architecture().factory();
    }

    /** The layout of the batches the network takes (the specification's, unless the architecture needs another). */
    public static Layout batchLayout(RunSpec spec) {
        return factory(spec).batchLayout(spec.execution().layout());
    }

    /**
     * E.g. {@code resnet20} or {@code mlp-784-256-10}: the architecture's factory names the network of {@code model}
     * for the described data (the name does not depend on layout or kernels).
     */
    static String modelName(ModelSpec model, ExperimentData.Description data) {
        return model.architecture().factory().modelName(model, new NetworkInput(data.imageSize(), data.channels(),
                data.classes(), Layout.NCHW, KernelPath.DL4J));
    }

    /** The trainer's recipe for a specification's training part. */
    public static TrainingRecipe recipe(TrainSpec t, long seed) {
        return new TrainingRecipe(t.learningRate(), t.momentum(), t.weightDecay(), t.batchSize(), t.epochs(),
                t.schedule().milestones(), t.schedule().factor(), seed, t.divergenceFactor(),
                t.schedule().warmupIterations(), t.schedule().warmupLearningRate(),
                org.bnlab.spec.ScheduleSpec.LINEAR.equals(t.schedule().warmupType()));
    }

    /**
     * The specification's network for {@code input}, freshly initialised, with its optimizer and the parameter
     * groups' own settings ({@code train.groups}, applied by {@link ParameterGroups} after the kernel layers are in).
     */
    public static ComputationGraph fresh(RunSpec spec, NetworkInput input, TrainingRecipe training,
                                         int batchesPerEpoch) {
        TrainSpec t = spec.train();
        IUpdater optimizer = Updaters.updater(t.optimizer(), training, batchesPerEpoch);
        ComputationGraphConfiguration conf = factory(spec).configuration(spec.model(), input, optimizer,
                training.weightDecay(), training.seed());
        GroupsSpec groups = t.groups();
        PhasesSpec phases = t.phases();
        ParameterGroups.Group normalization = group(groups.batchnorm(), t, training, batchesPerEpoch);
        ParameterGroups.Group weights = group(groups.weights(), t, training, batchesPerEpoch);
        if (phases != null) {
            normalization = Updaters.phased(normalization, phases.alternateEveryEpochs(),
                    phases.phaseOf(PhasesSpec.BATCHNORM), phases.order().size(), optimizer);
            weights = Updaters.phased(weights, phases.alternateEveryEpochs(), phases.phaseOf(PhasesSpec.WEIGHTS),
                    phases.order().size(), optimizer);
        }
        ParameterGroups.apply(conf, normalization, weights);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static ParameterGroups.Group group(org.bnlab.spec.GroupSpec g, TrainSpec t, TrainingRecipe training,
                                               int batchesPerEpoch) {
        return Updaters.group(g.trainable(), g.learningRate(),
                g.schedule() == null ? null : g.schedule().decayPerEpoch(), g.weightDecay(), t.optimizer(), training,
                batchesPerEpoch);
    }
}
