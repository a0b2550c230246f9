package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** What a MAIHDA or an Oaxaca-Blinder decomposition analyses. */
public enum SubjectKind {
  /** A binary outcome: logistic models (MAIHDA), proportions (decomposition). */
  OUTCOME(JamstatAbi.JAMSTAT_SUBJECT_OUTCOME),
  /** A numeric measure: linear models, means. */
  MEASURE(JamstatAbi.JAMSTAT_SUBJECT_MEASURE);

  private final int code;

  SubjectKind(int code) {
    this.code = code;
  }

  /** The C value (JAMSTAT_SUBJECT_*). */
  public int code() {
    return code;
  }
}
