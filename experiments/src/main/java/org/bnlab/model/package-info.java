/**
 * Networks: one {@link org.bnlab.model.NetworkFactory} per architecture turns the model part of a specification
 * ({@link org.bnlab.model.NetworkSettings}, which {@code spec.ModelSpec} is) and the data's shape
 * ({@link org.bnlab.model.NetworkInput}) into a DL4J graph; {@link org.bnlab.model.Architecture} is the registry
 * (one constant per factory, its name in files). A factory also refuses settings its architecture does not use,
 * names the network, counts its weight layers and gives its cost per image for {@code bnlab plan}. What follows
 * each convolution or Dense layer is not the factory's choice but the specification's normalizer
 * ({@code org.bnlab.norm}), which builds those layers.
 *
 * <p><b>Adding one</b>, e.g. a plain network without shortcuts:
 * <ol>
 *   <li>a class {@code PlainNetFactory implements NetworkFactory} in this package: {@code configuration} builds
 *       the graph (with {@link org.bnlab.model.NetworkDefaults}, the classifier named
 *       {@link org.bnlab.model.CifarResNet#CLASSIFIER}, the normalizer's {@code afterConvolution} layers after each
 *       convolution and, on {@link org.bnlab.model.KernelPath#ONEDNN}, {@code Kernels.accelerate}); {@code check}
 *       refuses what does not apply (e.g. {@code hidden}); {@code modelName}, {@code weightLayers},
 *       {@code relativeCost} and {@code costReference};</li>
 *   <li>one constant in {@link org.bnlab.model.Architecture}, e.g. {@code PLAIN("plain", new PlainNetFactory())}
 *       (the registration line);</li>
 *   <li>its test. The specification then reads {@code model: {architecture: plain, depth: 20}}.</li>
 * </ol>
 */
package org.bnlab.model;
