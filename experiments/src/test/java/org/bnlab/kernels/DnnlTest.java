package org.bnlab.kernels;

import org.bnlab.testing.Backend;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Dnnl}'s view of ND4J arrays: which ones are dense, and reading and writing small ones in place. */
@ExtendWith(Backend.class)
class DnnlTest {

    @Test
    void denseArrays() {
        assertTrue(Dnnl.isDense(Nd4j.create(DataType.FLOAT, 2, 3, 4)));
        assertTrue(Dnnl.isDense(Nd4j.create(DataType.FLOAT, 2, 3, 4).get(NDArrayIndex.point(1))));
        assertFalse(Dnnl.isDense(Nd4j.create(DataType.FLOAT, new long[]{2, 3, 4}, 'f')));
        assertFalse(Dnnl.isDense(Nd4j.create(DataType.FLOAT, 2, 3, 4).permute(0, 2, 1)));
        assertFalse(Dnnl.isDense(Nd4j.create(DataType.FLOAT, 4, 6).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3))));
        assertFalse(Dnnl.isDense(Nd4j.create(DataType.DOUBLE, 2, 3)));
        // a vector is dense whatever its ordering flag says
        assertTrue(Dnnl.isDense(Nd4j.create(DataType.FLOAT, new long[]{5}, 'f')));
        assertTrue(Dnnl.isDense(Nd4j.create(DataType.FLOAT, new long[]{1, 5}, 'f')));
    }

    @Test
    void readsAndWritesParameterViewsInPlace() {
        // DL4J's BN parameters are [C] views into the flat parameter vector, at an offset, flagged 'f'
        Layer bn = Compare.layer(new BatchNormalization.Builder().nIn(4).nOut(4).build(), null);
        INDArray flat = bn.params();
        flat.assign(Nd4j.linspace(DataType.FLOAT, 1, flat.length(), 1).reshape(flat.shape()));
        INDArray before = flat.dup();
        INDArray beta = bn.getParam("beta");
        assertTrue(Dnnl.isDense(beta), beta.shapeInfoToString());

        float[] v = new float[4];
        Dnnl.read(beta, v);
        assertArrayEquals(beta.toFloatVector(), v);
        assertArrayEquals(new float[]{5, 6, 7, 8}, v); // gamma, then beta

        Dnnl.write(new float[]{-1, -2, -3, -4}, beta);
        assertArrayEquals(new float[]{-1, -2, -3, -4}, bn.getParam("beta").toFloatVector());
        INDArray expected = before.dup();
        expected.get(NDArrayIndex.point(0), NDArrayIndex.interval(4, 8)).assign(Nd4j.createFromArray(-1f, -2f, -3f, -4f));
        assertEquals(expected, flat, "only beta's elements change");
    }
}
