package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import java.util.List;
import se.jamstat.abi.JamstatAbi;

/** Library-wide facts: versions, status and rejection-reason names, the total's label. */
public final class Jamstat {
  private Jamstat() {}

  /** Version of the library actually loaded, e.g. "0.2.0". */
  public static String version() {
    return NativeArrays.utf8(jamstat_version_string());
  }

  /** Version number of the library loaded: MAJOR * 10000 + MINOR * 100 + PATCH. */
  public static int versionNumber() {
    return jamstat_version_number();
  }

  /** ABI version of the library loaded (the SONAME's number); checked against the binding's on load. */
  public static int abiVersion() {
    return jamstat_abi_version();
  }

  /** Version of the header this binding's declarations were generated from. */
  public static String bindingVersion() {
    return JamstatAbi.JAMSTAT_VERSION_STRING;
  }

  /** The stable C name of a status ("JAMSTAT_ERROR_BAD_RECORD"; "JAMSTAT_UNKNOWN_STATUS" for others). */
  public static String statusName(int status) {
    return NativeArrays.utf8(jamstat_status_name(status));
  }

  /** What a status means, in a sentence. */
  public static String statusMessage(int status) {
    return NativeArrays.utf8(jamstat_status_message(status));
  }

  /** The stable name of a rejection reason ("code_unknown"); "" for values the library does not know. */
  public static String rejectionReasonName(int reason) {
    return NativeArrays.utf8(jamstat_rejection_reason_name(reason));
  }

  /** The stable name of a rejection reason ("code_unknown"). */
  public static String rejectionReasonName(RejectionReason reason) {
    return rejectionReasonName(reason.code());
  }

  /** The label of the total: "Totalt" in Swedish, "Total" in English. */
  public static String totalLabel(Language language) {
    return NativeArrays.utf8(jamstat_total_label(language.code()));
  }

  /** Throws the last error of this thread when `status` is not OK. */
  static void check(int status) {
    if (status != JamstatAbi.JAMSTAT_OK) {
      throw lastError(status, null, null, 0);
    }
  }

  /** Throws the last error of this thread, field names resolved from `fieldNames`, when `status` is not OK. */
  static void check(int status, String[] fieldNames) {
    if (status != JamstatAbi.JAMSTAT_OK) {
      throw lastError(status, fieldNames, null, 0);
    }
  }

  /**
   * The exception for a failed call, read from this thread's last error right after the call
   * (the C side keeps it per thread, and nothing runs in between).
   */
  static JamstatException lastError(int status, String[] fieldNames, List<RowError> rowErrors, long rowErrorCount) {
    String message = NativeArrays.utf8(jamstat_last_error_message());
    long row = jamstat_last_error_row();
    long field = jamstat_last_error_field();
    int reason = jamstat_last_error_reason();
    if (message == null || message.isEmpty()) {
      message = statusMessage(status);
    }
    return new JamstatException(status, message, row, field, fieldName(fieldNames, field), reason, rowErrors, rowErrorCount);
  }

  static String fieldName(String[] fieldNames, long field) {
    return fieldNames != null && field >= 0 && field < fieldNames.length ? fieldNames[(int) field] : null;
  }
}
