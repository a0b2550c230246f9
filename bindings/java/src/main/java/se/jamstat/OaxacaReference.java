package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** The reference coefficients of the Oaxaca-Blinder decomposition. */
public enum OaxacaReference {
  /** Pooled regression with a group indicator (Fortin 2008; Jann 2008): the default. */
  POOLED_WITH_GROUP(JamstatAbi.JAMSTAT_OAXACA_POOLED_WITH_GROUP),
  /** Pooled regression without it (Neumark 1988). */
  POOLED(JamstatAbi.JAMSTAT_OAXACA_POOLED),
  /** Women's coefficients. */
  WOMEN(JamstatAbi.JAMSTAT_OAXACA_WOMEN),
  /** Men's coefficients. */
  MEN(JamstatAbi.JAMSTAT_OAXACA_MEN),
  /** w x women's + (1 - w) x men's ({@link OaxacaOptions#womenWeight}). */
  WEIGHTED(JamstatAbi.JAMSTAT_OAXACA_WEIGHTED);

  private final int code;

  OaxacaReference(int code) {
    this.code = code;
  }

  /** The C value (JAMSTAT_OAXACA_*). */
  public int code() {
    return code;
  }
}
