package se.jamstat;

import se.jamstat.abi.JamstatAbi;

/** Kinds of numeric measure (docs/engine.md, "Numeric measures"). */
public enum MeasureKind {
  /** Any finite value in range; sums within a documented error bound for every input order. */
  FLOATING(JamstatAbi.JAMSTAT_MEASURE_FLOATING),
  /** Values on a grid of 10^-decimals; exact integer sums, byte-identical states. */
  DECIMAL(JamstatAbi.JAMSTAT_MEASURE_DECIMAL);

  private final int code;

  MeasureKind(int code) {
    this.code = code;
  }

  /** The C value. */
  public int code() {
    return code;
  }

  /** The kind with C value `code`, or null. */
  public static MeasureKind fromCode(int code) {
    for (MeasureKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }
}
