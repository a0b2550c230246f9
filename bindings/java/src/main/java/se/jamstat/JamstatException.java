package se.jamstat;

import java.util.Collections;
import java.util.List;

/**
 * A failed jamstat call: the C library's message (which names the argument, dimension, code or
 * row), its status, and for a bad record the row, schema field and rejection reason; for a batch
 * also every bad row found (up to the batch's error capacity) and how many there were.
 */
public class JamstatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final long row;
  private final long field;
  private final String fieldName;
  private final int reasonCode;
  private final List<RowError> rowErrors;
  private final long rowErrorCount;

  JamstatException(int statusCode, String message, long row, long field, String fieldName, int reasonCode,
                   List<RowError> rowErrors, long rowErrorCount) {
    super(message);
    this.statusCode = statusCode;
    this.row = row;
    this.field = field;
    this.fieldName = fieldName;
    this.reasonCode = reasonCode;
    this.rowErrors = rowErrors == null ? Collections.emptyList() : Collections.unmodifiableList(rowErrors);
    this.rowErrorCount = rowErrorCount;
  }

  /** The status, or null for a status this binding does not know (see {@link #statusCode}). */
  public Status status() {
    return Status.fromCode(statusCode);
  }

  /** The C value of the status. */
  public int statusCode() {
    return statusCode;
  }

  /** The status's stable C name, e.g. "JAMSTAT_ERROR_BAD_RECORD". */
  public String statusName() {
    return Jamstat.statusName(statusCode);
  }

  /** The row (within the batch; 0 for a single record) of the bad record, or -1. */
  public long row() {
    return row;
  }

  /** The schema field index the error is about, or -1. */
  public long field() {
    return field;
  }

  /** The name of that schema field, or null. */
  public String fieldName() {
    return fieldName;
  }

  /** The rejection reason of the bad record, or null (none, or a reason this binding does not know). */
  public RejectionReason reason() {
    return reasonCode < 0 ? null : RejectionReason.fromCode(reasonCode);
  }

  /** The C value of the rejection reason, or -1. */
  public int reasonCode() {
    return reasonCode;
  }

  /** Every bad row of the failed batch, in row order, up to the batch's error capacity; empty otherwise. */
  public List<RowError> rowErrors() {
    return rowErrors;
  }

  /** How many bad rows the failed batch had (may exceed {@code rowErrors().size()}); 0 when not a batch. */
  public long rowErrorCount() {
    return rowErrorCount;
  }
}
