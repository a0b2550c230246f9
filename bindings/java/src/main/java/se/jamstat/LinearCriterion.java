package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** The criterion of MAIHDA's linear models. */
public enum LinearCriterion {
  /** Restricted maximum likelihood (lmer's default). */
  REML(JamstatAbi.JAMSTAT_REML),
  /** Maximum likelihood. */
  ML(JamstatAbi.JAMSTAT_ML);

  private final int code;

  LinearCriterion(int code) {
    this.code = code;
  }

  /** The C value. */
  public int code() {
    return code;
  }
}
