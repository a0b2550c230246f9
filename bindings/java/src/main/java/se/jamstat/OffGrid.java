package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** What happens to a decimal measure's value off its grid. */
public enum OffGrid {
  /** Bad input ({@link RejectionReason#MEASURE_OFF_RESOLUTION}). */
  REJECT(JamstatAbi.JAMSTAT_OFF_GRID_REJECT),
  /** Rounded to the nearest grid point, ties to even, and counted ({@link Aggregator#roundedValues}). */
  ROUND(JamstatAbi.JAMSTAT_OFF_GRID_ROUND);

  private final int code;

  OffGrid(int code) {
    this.code = code;
  }

  /** The C value. */
  public int code() {
    return code;
  }

  /** The policy with C value `code`, or null. */
  public static OffGrid fromCode(int code) {
    for (OffGrid k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }
}
