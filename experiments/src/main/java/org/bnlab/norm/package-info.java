/**
 * Normalizers: what follows each convolution or hidden Dense layer ({@code model.normalization}). One sealed type,
 * {@link org.bnlab.norm.Normalizer}, is both the specification's value and the builder of its DL4J layers; it also
 * says whether it has affine parameters (all normalizers' are the parameter group {@code train.groups.batchnorm})
 * and running statistics (which evaluation modes, precise BN, AdaBN and BN transfer need), and which layer
 * configurations are its own ({@link org.bnlab.norm.Normalizers#owning}), so no code elsewhere tests layer classes.
 *
 * <p><b>Adding one</b>, e.g. GroupNorm (Wu and He 2018), takes two files outside its tests (a third and fourth where
 * it needs a DL4J layer of its own):
 * <ol>
 *   <li>a record {@code GroupNorm(int groups, double epsilon) implements Normalizer} in this package, with
 *       {@code TYPE = "groupnorm"}, {@code public static final GroupNorm DEFAULT = new GroupNorm(32, 1e-5)}, a
 *       {@code @JsonClassDescription} (its citation, which the settings table lists), its checks
 *       ({@link org.bnlab.norm.Normalizer#require}, {@code requireEpsilon}, naming the parameter), its layers
 *       ({@code afterConvolution}, {@code afterDense}), {@code owns} recognising them, {@code affineParameters}
 *       and {@code withAffineDecay}. A statistics-free type needs nothing more: {@code onOneDnn},
 *       {@code hasAffine}, {@code hasRunningStatistics}, {@code runningStatisticKeys} and {@code statisticsOf} have
 *       defaults (a type on {@link org.bnlab.norm.GroupNormalization} uses its {@code builtBy}, {@code AFFINE},
 *       {@code withAffineDecay}). One not defined after a Dense layer answers {@code followsDense() == false} (and
 *       {@code denseRefusal}), so an mlp with it is refused when the file is read;</li>
 *   <li>its name in {@code permits} of {@link org.bnlab.norm.Normalizer} (the registration line);</li>
 *   <li>its test. The specification then reads {@code normalization: {type: groupnorm, groups: 8}} and
 *       {@code --set model.normalization=groupnorm}; parameters not given take {@code DEFAULT}'s; the settings
 *       table, error messages and the registry's tests find it through {@link org.bnlab.norm.Normalizers#all()}
 *       (regenerate {@code docs/specification.md} with {@code scripts/bnlab settings --markdown}).</li>
 * </ol>
 * The DL4J layer itself (a new {@code Layer} configuration and its implementation) may need its own file or two;
 * its configuration extends {@code BaseLayer} (the parameter groups set its updater) and, for the group's weight
 * decay, answers {@code getRegularizationByParam} for its affine keys ({@code withAffineDecay}).
 */
package org.bnlab.norm;
