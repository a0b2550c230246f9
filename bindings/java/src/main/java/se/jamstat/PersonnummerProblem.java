package se.jamstat;

import static se.jamstat.abi.JamstatNative.jamstat_personnummer_problem_message;
import static se.jamstat.abi.JamstatNative.jamstat_personnummer_problem_name;

import se.jamstat.abi.JamstatAbi;

/** Why a text is not a valid personnummer or samordningsnummer (JAMSTAT_PERSONNUMMER_*). */
public enum PersonnummerProblem {
  /** Not 10 or 12 digits with an optional '-' or '+' before the last four. */
  FORMAT(JamstatAbi.JAMSTAT_PERSONNUMMER_FORMAT),
  /** No such date (the day less 60 for a samordningsnummer). */
  INVALID_DATE(JamstatAbi.JAMSTAT_PERSONNUMMER_INVALID_DATE),
  /** The Luhn check digit does not match. */
  CHECK_DIGIT(JamstatAbi.JAMSTAT_PERSONNUMMER_CHECK_DIGIT),
  /** The birth date is after the reference date. */
  BORN_AFTER_REFERENCE(JamstatAbi.JAMSTAT_PERSONNUMMER_BORN_AFTER_REFERENCE),
  /** A 12-digit number with '+' for someone under 100 at the reference date. */
  PLUS_SIGN_MISMATCH(JamstatAbi.JAMSTAT_PERSONNUMMER_PLUS_SIGN_MISMATCH);

  private final int code;

  PersonnummerProblem(int code) {
    this.code = code;
  }

  /** The C value. */
  public int code() {
    return code;
  }

  /** The library's stable name ("check_digit"). */
  public String stableName() {
    return problemName(code);
  }

  /** The library's English phrase ("the check digit does not match"). */
  public String message() {
    return problemMessage(code);
  }

  /** The problem with C value `code`, or null (JAMSTAT_PERSONNUMMER_VALID and unknown values). */
  public static PersonnummerProblem fromCode(int code) {
    for (PersonnummerProblem p : values()) {
      if (p.code == code) {
        return p;
      }
    }
    return null;
  }

  /** The library's stable name of a problem value ("valid" for 0, "unknown" for values it does not know). */
  public static String problemName(int code) {
    return NativeArrays.utf8(jamstat_personnummer_problem_name(code));
  }

  /** The library's English phrase for a problem value ("" for 0 and unknown values). */
  public static String problemMessage(int code) {
    return NativeArrays.utf8(jamstat_personnummer_problem_message(code));
  }
}
