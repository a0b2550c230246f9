package se.jamstat;

import com.sun.jna.Pointer;
import se.jamstat.abi.JamstatStructs.jamstat_decomposition_result;

/**
 * An Oaxaca-Blinder decomposition (jamstat_decomposition_result), copied: the gap (women minus
 * men) split into the part the characteristics explain and the part they do not, the threefold
 * parts (NaN for the nonlinear decomposition), standard errors by the delta method (Jann 2008),
 * and the detailed terms column-wise.
 */
public final class DecompositionResult {
  private final long womenParticipations;
  private final long menParticipations;
  private final long otherSexParticipations;
  private final double[] totals;
  private final String[] characteristic;
  private final String[] level;
  private final boolean[] isTotal;
  private final double[] explainedTerm;
  private final double[] explainedTermSe;
  private final double[] unexplainedTerm;
  private final double[] unexplainedTermSe;

  // The doubles from women_mean to interaction_se, in the struct's order.
  private static final long[] TOTALS = {
      jamstat_decomposition_result.women_mean, jamstat_decomposition_result.men_mean,
      jamstat_decomposition_result.gap, jamstat_decomposition_result.gap_se,
      jamstat_decomposition_result.explained, jamstat_decomposition_result.explained_se,
      jamstat_decomposition_result.unexplained, jamstat_decomposition_result.unexplained_se,
      jamstat_decomposition_result.endowments, jamstat_decomposition_result.endowments_se,
      jamstat_decomposition_result.coefficients, jamstat_decomposition_result.coefficients_se,
      jamstat_decomposition_result.interaction, jamstat_decomposition_result.interaction_se};

  DecompositionResult(Pointer p) {
    womenParticipations = p.getLong(jamstat_decomposition_result.women_participations);
    menParticipations = p.getLong(jamstat_decomposition_result.men_participations);
    otherSexParticipations = p.getLong(jamstat_decomposition_result.other_sex_participations);
    totals = new double[TOTALS.length];
    for (int i = 0; i < TOTALS.length; ++i) {
      totals[i] = p.getDouble(TOTALS[i]);
    }
    long n = p.getLong(jamstat_decomposition_result.term_count);
    characteristic = NativeArrays.strings(p.getPointer(jamstat_decomposition_result.characteristic), n);
    level = NativeArrays.strings(p.getPointer(jamstat_decomposition_result.level), n);
    int[] total = NativeArrays.ints(p.getPointer(jamstat_decomposition_result.is_total), n);
    isTotal = new boolean[total.length];
    for (int i = 0; i < total.length; ++i) {
      isTotal[i] = total[i] != 0;
    }
    explainedTerm = NativeArrays.doubles(p.getPointer(jamstat_decomposition_result.explained_term), n);
    explainedTermSe = NativeArrays.doubles(p.getPointer(jamstat_decomposition_result.explained_term_se), n);
    unexplainedTerm = NativeArrays.doubles(p.getPointer(jamstat_decomposition_result.unexplained_term), n);
    unexplainedTermSe = NativeArrays.doubles(p.getPointer(jamstat_decomposition_result.unexplained_term_se), n);
  }

  /** Women's participations. */
  public long womenParticipations() {
    return womenParticipations;
  }

  /** Men's participations. */
  public long menParticipations() {
    return menParticipations;
  }

  /** Participations with sex codes 0 and 9, reported beside the decomposition. */
  public long otherSexParticipations() {
    return otherSexParticipations;
  }

  /** Women's mean (or proportion). */
  public double womenMean() {
    return totals[0];
  }

  /** Men's mean (or proportion). */
  public double menMean() {
    return totals[1];
  }

  /** The gap, women minus men. */
  public double gap() {
    return totals[2];
  }

  public double gapSe() {
    return totals[3];
  }

  /** The part of the gap the characteristics explain. */
  public double explained() {
    return totals[4];
  }

  public double explainedSe() {
    return totals[5];
  }

  /** The part they do not explain. */
  public double unexplained() {
    return totals[6];
  }

  public double unexplainedSe() {
    return totals[7];
  }

  /** Threefold: endowments (NaN for the nonlinear decomposition). */
  public double endowments() {
    return totals[8];
  }

  public double endowmentsSe() {
    return totals[9];
  }

  /** Threefold: coefficients (NaN for the nonlinear decomposition). */
  public double coefficients() {
    return totals[10];
  }

  public double coefficientsSe() {
    return totals[11];
  }

  /** Threefold: interaction (NaN for the nonlinear decomposition). */
  public double interaction() {
    return totals[12];
  }

  public double interactionSe() {
    return totals[13];
  }

  /** Number of detailed terms. */
  public int termCount() {
    return characteristic.length;
  }

  /** Each term's characteristic: "(Intercept)" or the characteristic's name. */
  public String[] characteristic() {
    return characteristic.clone();
  }

  /** Each term's level label, or "". */
  public String[] level() {
    return level.clone();
  }

  /** True for a characteristic's total over its levels. */
  public boolean[] isTotal() {
    return isTotal.clone();
  }

  public double[] explainedTerm() {
    return explainedTerm.clone();
  }

  public double[] explainedTermSe() {
    return explainedTermSe.clone();
  }

  public double[] unexplainedTerm() {
    return unexplainedTerm.clone();
  }

  public double[] unexplainedTermSe() {
    return unexplainedTermSe.clone();
  }
}
