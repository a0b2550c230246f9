package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** What a state holds about persons ({@link Aggregator#stateForm()}; docs/state-format.md). */
public enum StateForm {
  /** Persons not counted: no person data at all. */
  PARTICIPATIONS_ONLY(JamstatAbi.JAMSTAT_STATE_PARTICIPATIONS_ONLY),
  /** Keyed hashes of person ids per cell: pseudonymised personal data for whoever holds the key. */
  PSEUDONYMISED(JamstatAbi.JAMSTAT_STATE_PSEUDONYMISED),
  /** Distinct persons frozen as counts per cell of some groupings; no hashes ({@link Aggregator#personFree()}). */
  PERSON_FREE(JamstatAbi.JAMSTAT_STATE_PERSON_FREE);

  private final int code;

  StateForm(int code) {
    this.code = code;
  }

  /** The C value (JAMSTAT_STATE_*). */
  public int code() {
    return code;
  }

  /** The form with C value `code`, or null. */
  public static StateForm fromCode(int code) {
    for (StateForm f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    return null;
  }
}
