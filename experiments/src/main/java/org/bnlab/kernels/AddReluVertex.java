package org.bnlab.kernels;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a graph vertex computing {@code relu(a + b)} for two inputs of the same shape: DL4J's
 * {@code ElementWiseVertex(Add)} followed by a ReLU {@code ActivationLayer} (the end of a residual block) in one
 * vertex, one pass over the data forward and backward instead of about five ({@link AddRelu}). No parameters.
 * {@link Kernels#accelerate} puts it in place of that pair.
 */
public final class AddReluVertex extends GraphVertex {

    public AddReluVertex() {
    }

    @Override
    public AddReluVertex clone() {
        return new AddReluVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddReluVertex;
    }

    @Override
    public int hashCode() {
        return AddReluVertex.class.hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new AddRelu(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        return new ElementWiseVertex(ElementWiseVertex.Op.Add).getOutputType(layerIndex, vertexInputs);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, AddReluVertex.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
