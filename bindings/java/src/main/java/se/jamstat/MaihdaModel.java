package se.jamstat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import se.jamstat.abi.JamstatStructs.jamstat_maihda_model;

/**
 * One fitted MAIHDA model (jamstat_maihda_model), copied: the variance components as lme4
 * reports them, the fixed effects, and per stratum its label, levels, participations, observed
 * value, random effect with interval and prediction with interval. Unsigned counts as longs.
 */
public final class MaihdaModel {
  private final double theta;
  private final double betweenVariance;
  private final double residualVariance;
  private final double vpc;
  private final double deviance;
  private final boolean boundary;
  private final String[] terms;
  private final double[] estimates;
  private final double[] standardErrors;
  private final String[] labels;
  private final int[][] levels;
  private final long[] participations;
  private final double[] observed;
  private final double[] randomEffect;
  private final double[] randomEffectSd;
  private final double[] randomEffectLower;
  private final double[] randomEffectUpper;
  private final double[] predicted;
  private final double[] predictedLower;
  private final double[] predictedUpper;
  private final boolean[] clearlyNonzero;

  MaihdaModel(Pointer p, int levelDimensions) {
    theta = p.getDouble(jamstat_maihda_model.theta);
    betweenVariance = p.getDouble(jamstat_maihda_model.between_variance);
    residualVariance = p.getDouble(jamstat_maihda_model.residual_variance);
    vpc = p.getDouble(jamstat_maihda_model.vpc);
    deviance = p.getDouble(jamstat_maihda_model.deviance);
    boundary = p.getInt(jamstat_maihda_model.boundary) != 0;
    long k = p.getLong(jamstat_maihda_model.fixed_effect_count);
    terms = NativeArrays.strings(p.getPointer(jamstat_maihda_model.term), k);
    estimates = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.estimate), k);
    standardErrors = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.standard_error), k);
    long n = p.getLong(jamstat_maihda_model.stratum_count);
    labels = NativeArrays.strings(p.getPointer(jamstat_maihda_model.label), n);
    Pointer lv = p.getPointer(jamstat_maihda_model.levels);
    if (lv == null && n > 0) {
      throw new IllegalStateException("the library returned no stratum levels");
    }
    levels = new int[levelDimensions][];
    for (int d = 0; d < levelDimensions; ++d) {
      levels[d] = n > 0 ? NativeArrays.ints(lv.getPointer((long) d * Native.POINTER_SIZE), n) : new int[0];
    }
    participations = NativeArrays.longs(p.getPointer(jamstat_maihda_model.participations), n);
    observed = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.observed), n);
    randomEffect = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.random_effect), n);
    randomEffectSd = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.random_effect_sd), n);
    randomEffectLower = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.random_effect_lower), n);
    randomEffectUpper = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.random_effect_upper), n);
    predicted = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.predicted), n);
    predictedLower = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.predicted_lower), n);
    predictedUpper = NativeArrays.doubles(p.getPointer(jamstat_maihda_model.predicted_upper), n);
    int[] nonzero = NativeArrays.ints(p.getPointer(jamstat_maihda_model.clearly_nonzero), n);
    clearlyNonzero = new boolean[nonzero.length];
    for (int i = 0; i < nonzero.length; ++i) {
      clearlyNonzero[i] = nonzero[i] != 0;
    }
  }

  /** lme4's theta (the relative standard deviation of the random intercept). */
  public double theta() {
    return theta;
  }

  /** sigma_u^2, the variance between strata. */
  public double betweenVariance() {
    return betweenVariance;
  }

  /** sigma_e^2 (linear) or pi^2/3 (logistic, latent scale). */
  public double residualVariance() {
    return residualVariance;
  }

  /** The variance partition coefficient. */
  public double vpc() {
    return vpc;
  }

  /** The REML criterion or -2 log L, as lme4 reports it. */
  public double deviance() {
    return deviance;
  }

  /** True for a singular fit (sigma_u^2 at 0). */
  public boolean boundary() {
    return boundary;
  }

  /** Fixed-effect terms: "(Intercept)", "Åldersgrupp: 20–24 år", ... */
  public String[] terms() {
    return terms.clone();
  }

  /** Fixed-effect estimates. */
  public double[] estimates() {
    return estimates.clone();
  }

  /** Their standard errors. */
  public double[] standardErrors() {
    return standardErrors.clone();
  }

  /** Number of strata. */
  public int stratumCount() {
    return labels.length;
  }

  /** Stratum labels ("Kvinnor · 16–19 år · Utanför Europa"). */
  public String[] labels() {
    return labels.clone();
  }

  /** Level indices [dimension][stratum]: sex first, then the options' dimensions. */
  public int[][] levels() {
    int[][] copy = new int[levels.length][];
    for (int d = 0; d < copy.length; ++d) {
      copy[d] = levels[d].clone();
    }
    return copy;
  }

  /** Participations per stratum. */
  public long[] participations() {
    return participations.clone();
  }

  /** Observed mean (linear) or proportion (logistic) per stratum. */
  public double[] observed() {
    return observed.clone();
  }

  /** The conditional mode of each stratum's random effect (lme4's ranef). */
  public double[] randomEffect() {
    return randomEffect.clone();
  }

  /** Its standard deviation. */
  public double[] randomEffectSd() {
    return randomEffectSd.clone();
  }

  /** Lower bound of the random effect's interval. */
  public double[] randomEffectLower() {
    return randomEffectLower.clone();
  }

  /** Upper bound of the random effect's interval. */
  public double[] randomEffectUpper() {
    return randomEffectUpper.clone();
  }

  /** The predicted mean or probability per stratum. */
  public double[] predicted() {
    return predicted.clone();
  }

  /** Lower bound of the prediction's interval. */
  public double[] predictedLower() {
    return predictedLower.clone();
  }

  /** Upper bound of the prediction's interval. */
  public double[] predictedUpper() {
    return predictedUpper.clone();
  }

  /** Whether each stratum's random-effect interval excludes 0. */
  public boolean[] clearlyNonzero() {
    return clearlyNonzero.clone();
  }
}
