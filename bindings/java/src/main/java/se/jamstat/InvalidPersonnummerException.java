package se.jamstat;

/**
 * The text given to {@link Personnummer#parse} is not a valid personnummer or samordningsnummer.
 * The message is the library's phrase; neither it nor anything else here contains the number.
 */
public final class InvalidPersonnummerException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int problemCode;

  InvalidPersonnummerException(int problemCode) {
    super("not a valid personnummer: " + describe(problemCode));
    this.problemCode = problemCode;
  }

  private static String describe(int code) {
    String message = PersonnummerProblem.problemMessage(code);
    return (message.isEmpty() ? "problem " + code : message) + " [" + PersonnummerProblem.problemName(code) + "]";
  }

  /** Why (null for a value this binding does not know; see {@link #problemCode()}). */
  public PersonnummerProblem problem() {
    return PersonnummerProblem.fromCode(problemCode);
  }

  /** The C value of the problem (JAMSTAT_PERSONNUMMER_*). */
  public int problemCode() {
    return problemCode;
  }

  /** The library's stable name of the problem ("check_digit"). */
  public String problemName() {
    return PersonnummerProblem.problemName(problemCode);
  }
}
