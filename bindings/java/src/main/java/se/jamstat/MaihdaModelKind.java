package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** The two models of a MAIHDA. */
public enum MaihdaModelKind {
  /** A random intercept per stratum only. */
  NULL(JamstatAbi.JAMSTAT_MAIHDA_NULL),
  /** Plus the main effects of sex and the dimensions. */
  ADDITIVE(JamstatAbi.JAMSTAT_MAIHDA_ADDITIVE);

  private final int code;

  MaihdaModelKind(int code) {
    this.code = code;
  }

  /** The C value (JAMSTAT_MAIHDA_*). */
  public int code() {
    return code;
  }
}
