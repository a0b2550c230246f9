package se.jamstat;

import java.util.Collections;
import java.util.List;

/**
 * What a batch did (jamstat_batch_result): rows added and rejected, the first rejected row's
 * place, reason and message, and every bad row (up to the batch's error capacity).
 */
public final class BatchResult {
  private final long accepted;
  private final long rejected;
  private final long firstRejectedRow;
  private final long firstRejectedField;
  private final String firstRejectedFieldName;
  private final int firstRejectedReason;
  private final String firstRejectedMessage;
  private final long rowErrorCount;
  private final List<RowError> rowErrors;

  BatchResult(long accepted, long rejected, long firstRejectedRow, long firstRejectedField, String firstRejectedFieldName,
              int firstRejectedReason, String firstRejectedMessage, long rowErrorCount, List<RowError> rowErrors) {
    this.accepted = accepted;
    this.rejected = rejected;
    this.firstRejectedRow = firstRejectedRow;
    this.firstRejectedField = firstRejectedField;
    this.firstRejectedFieldName = firstRejectedFieldName;
    this.firstRejectedReason = firstRejectedReason;
    this.firstRejectedMessage = firstRejectedMessage;
    this.rowErrorCount = rowErrorCount;
    this.rowErrors = Collections.unmodifiableList(rowErrors);
  }

  /** Rows added. */
  public long accepted() {
    return accepted;
  }

  /** Rows rejected and tallied (TALLY policy). */
  public long rejected() {
    return rejected;
  }

  /** The first rejected row, or -1. */
  public long firstRejectedRow() {
    return firstRejectedRow;
  }

  /** The schema field of the first rejected row, or -1. */
  public long firstRejectedField() {
    return firstRejectedField;
  }

  /** The name of that field, or null. */
  public String firstRejectedFieldName() {
    return firstRejectedFieldName;
  }

  /** Why the first rejected row was rejected, or null. */
  public RejectionReason firstRejectedReason() {
    return firstRejectedReason < 0 ? null : RejectionReason.fromCode(firstRejectedReason);
  }

  /** The first rejected row's message ("" when none). */
  public String firstRejectedMessage() {
    return firstRejectedMessage;
  }

  /** How many bad rows the batch had (may exceed {@code rowErrors().size()}). */
  public long rowErrorCount() {
    return rowErrorCount;
  }

  /** The bad rows, in row order, up to the batch's error capacity. */
  public List<RowError> rowErrors() {
    return rowErrors;
  }

  @Override
  public String toString() {
    return "BatchResult[accepted=" + accepted + ", rejected=" + rejected
        + (rejected > 0 ? ", first rejected row " + firstRejectedRow + ": " + firstRejectedMessage : "") + "]";
  }
}
