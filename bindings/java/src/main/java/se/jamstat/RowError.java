package se.jamstat;

/**
 * A bad row of a batch: where it is (row within the batch, schema field) and why (the rejection
 * reason). A batch reports every bad row at once, so a file can be fixed in one pass.
 */
public final class RowError {
  private final long row;
  private final long field;
  private final String fieldName;
  private final int reasonCode;

  RowError(long row, long field, String fieldName, int reasonCode) {
    this.row = row;
    this.field = field;
    this.fieldName = fieldName;
    this.reasonCode = reasonCode;
  }

  /** The row within the batch (0-based). */
  public long row() {
    return row;
  }

  /** The schema field index (dimensions, outcomes, numeric measures, person_id), or -1. */
  public long field() {
    return field;
  }

  /** The schema field's name, or null when unknown. */
  public String fieldName() {
    return fieldName;
  }

  /** Why the row was rejected, or null for a reason this binding does not know (see {@link #reasonCode}). */
  public RejectionReason reason() {
    return RejectionReason.fromCode(reasonCode);
  }

  /** The C value of the rejection reason. */
  public int reasonCode() {
    return reasonCode;
  }

  @Override
  public String toString() {
    RejectionReason r = reason();
    return "row " + row + ", field " + (fieldName != null ? fieldName : Long.toString(field)) + ": "
        + (r != null ? Jamstat.rejectionReasonName(reasonCode) : "reason " + reasonCode);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RowError)) {
      return false;
    }
    RowError e = (RowError) o;
    return row == e.row && field == e.field && reasonCode == e.reasonCode;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(row) * 31 + Long.hashCode(field) * 7 + reasonCode;
  }
}
