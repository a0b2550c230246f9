package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** When the gap report replaces the chi-square test by an exact test. */
public enum ExactRule {
  /** When any expected count is below 5 (the default). */
  ANY_EXPECTED_BELOW_5(JamstatAbi.JAMSTAT_EXACT_ANY_EXPECTED_BELOW_5),
  /** Cochran's rule. */
  COCHRAN(JamstatAbi.JAMSTAT_EXACT_COCHRAN),
  ALWAYS(JamstatAbi.JAMSTAT_EXACT_ALWAYS),
  NEVER(JamstatAbi.JAMSTAT_EXACT_NEVER);

  private final int code;

  ExactRule(int code) {
    this.code = code;
  }

  /** The C value. */
  public int code() {
    return code;
  }
}
