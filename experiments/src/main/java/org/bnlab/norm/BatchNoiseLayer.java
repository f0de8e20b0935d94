package org.bnlab.norm;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * {@link BatchNoise}'s computation. The noise of a step depends only on the network's seed, this layer's index and
 * the step (the iteration count, which a checkpoint keeps), never on an RNG shared with training, so a measurement
 * or a resume sees the same noise. The gradient passes through unchanged (the noise is added).
 */
public class BatchNoiseLayer extends AbstractLayer<BatchNoise> {

    public BatchNoiseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The seed of the noise of step {@code iteration} in the layer with index {@code layer} of a network seeded so. */
    static long noiseSeed(long networkSeed, int layer, long iteration) {
        long h = networkSeed * 0x9E3779B97F4A7C15L + layer;
        h = h * 0xBF58476D1CE4E5B9L + iteration;
        return new SplittableRandom(h).nextLong();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        BatchNoise noise = layerConf();
        if (!training) {
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
        }
        if (noise.getNoiseMean() == 0 && noise.getNoiseStd() == 0) {
            // a copy, as in training with noise: the layers around must not share one array between passes
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, input);
        }
        int axis = noise.channelAxis();
        long channels = input.size(axis);
        SplittableRandom draws = new SplittableRandom(noiseSeed(conf.getSeed(), getIndex(), getIterationCount()));
        double[] means = new double[(int) channels];
        double[] stds = new double[(int) channels];
        for (int c = 0; c < channels; c++) {
            means[c] = (2 * draws.nextDouble() - 1) * noise.getNoiseMean();
            stds[c] = draws.nextDouble() * noise.getNoiseStd();
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(draws.nextLong());
        Nd4j.getExecutioner().exec(new GaussianDistribution(out, 0.0, 1.0), rng);
        INDArray scale = Nd4j.createFromArray(stds).castTo(input.dataType());
        INDArray shift = Nd4j.createFromArray(means).castTo(input.dataType());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(out, scale, out, axis));
        Nd4j.getExecutioner().exec(new BroadcastAddOp(out, shift, out, axis));
        out.addi(input);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        return new Pair<>(new DefaultGradient(), workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon));
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    @Override
    public INDArray params() {
        return null;
    }
}
