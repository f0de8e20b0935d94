/**
 * Normalizers: what follows each convolution or hidden Dense layer ({@code model.normalization}). One sealed type,
 * {@link org.bnlab.norm.Normalizer}, is both the specification's value and the builder of its DL4J layers; it also
 * says whether it has affine parameters (all normalizers' are the parameter group {@code train.groups.batchnorm})
 * and running statistics (which evaluation modes, precise BN, AdaBN and BN transfer need), and which layer
 * configurations are its own ({@link org.bnlab.norm.Normalizers#owning}), so no code elsewhere tests layer classes.
 *
 * <p><b>Adding one</b>, e.g. GroupNorm (Wu and He 2018):
 * <ol>
 *   <li>a record {@code GroupNorm(int groups, double epsilon) implements Normalizer} in this package, with
 *       {@code TYPE = "groupnorm"}, {@code public static final GroupNorm DEFAULT = new GroupNorm(32, 1e-5)}, its
 *       checks ({@link org.bnlab.norm.Normalizer#require}, naming the parameter), its layers
 *       ({@code afterConvolution}, {@code afterDense}; {@code onOneDnn} may return them unchanged), {@code owns}
 *       recognising them, {@code hasAffine() == true} with their gamma/beta keys, {@code hasRunningStatistics()
 *       == false};</li>
 *   <li>its name in {@code permits} of {@link org.bnlab.norm.Normalizer} (the registration line);</li>
 *   <li>its test. The specification then reads {@code normalization: {type: groupnorm, groups: 8}} and
 *       {@code --set model.normalization=groupnorm}; parameters not given take {@code DEFAULT}'s.</li>
 * </ol>
 * The DL4J layer itself (a new {@code Layer} configuration and its implementation) may need its own file or two;
 * its configuration extends {@code BaseLayer} (the parameter groups set its updater) and, for the group's weight
 * decay, answers {@code getRegularizationByParam} for its affine keys ({@code withAffineDecay}).
 */
package org.bnlab.norm;
