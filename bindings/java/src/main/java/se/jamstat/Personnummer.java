package se.jamstat;

import static se.jamstat.abi.JamstatNative.jamstat_mask_personnummer;
import static se.jamstat.abi.JamstatNative.jamstat_personnummer_parse;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import se.jamstat.abi.JamstatAbi;
import se.jamstat.abi.JamstatStructs.jamstat_personnummer;

/**
 * A valid personnummer (personal identity number) or samordningsnummer (coordination number),
 * parsed as {@code jamstat aggregate} parses its personnummer column (jamstat_personnummer_parse):
 * YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC, YYYYMMDDNNNC (YYYYMMDD+NNNC at 100 or older),
 * surrounding spaces ignored; the Luhn check digit; 60 added to the day for a samordningsnummer.
 *
 * <p>The idiom: {@link #parse} returns a valid number or throws {@link InvalidPersonnummerException}
 * (an IllegalArgumentException) naming the {@link PersonnummerProblem}; {@link #tryParse} returns
 * an empty Optional instead, when the reason does not matter. A bad argument (a reference date
 * before year 1900) is the library's {@link JamstatException} (INVALID_ARGUMENT) from both.
 *
 * <p>The reference date is required: the century of a 10-digit form and the age come from it, so a
 * statistic about a period passes that period's date, and no result depends on the day it runs.
 *
 * <p>{@link #toString()} never shows the number ({@code Personnummer(XXXXXXXX-XXXX)}). The number
 * itself is {@link #canonical()} and {@link #personId()} (the same 12 ASCII bytes), the person id
 * the CSV ingest hashes: give the object to {@link Aggregator#add(int[], int[], double[], Personnummer)}
 * or {@link Column#personIds(Personnummer[])} so that one person is one person whichever form a
 * system wrote. Immutable; equal when the canonical forms are.
 */
public final class Personnummer {
  /** Bytes of the first buffer {@link #mask} tries; a longer result is retried at the size the library asks for. */
  static volatile int maskBuffer = 256;

  private final String canonical;
  private final LocalDate birthDate;
  private final int sex;
  private final int age;
  private final boolean samordningsnummer;
  private final LocalDate referenceDate;

  private Personnummer(String canonical, LocalDate birthDate, int sex, int age, boolean samordningsnummer, LocalDate referenceDate) {
    this.canonical = canonical;
    this.birthDate = birthDate;
    this.sex = sex;
    this.age = age;
    this.samordningsnummer = samordningsnummer;
    this.referenceDate = referenceDate;
  }

  /**
   * Parses `text` at `referenceDate` (a calendar date, year 1900..9999).
   *
   * @throws InvalidPersonnummerException when the text is not a valid number
   * @throws JamstatException for a reference date the library does not take
   */
  public static Personnummer parse(String text, LocalDate referenceDate) {
    Memory out = parseNative(text, referenceDate);
    try {
      int problem = out.getInt(jamstat_personnummer.problem);
      if (problem != JamstatAbi.JAMSTAT_PERSONNUMMER_VALID) {
        throw new InvalidPersonnummerException(problem);
      }
      return of(out, referenceDate);
    } finally {
      out.clear();  // the number is personal data: not left about in native memory
      out.close();
    }
  }

  /** As {@link #parse}, an empty Optional for a text that is not a valid number. */
  public static Optional<Personnummer> tryParse(String text, LocalDate referenceDate) {
    Memory out = parseNative(text, referenceDate);
    try {
      if (out.getInt(jamstat_personnummer.problem) != JamstatAbi.JAMSTAT_PERSONNUMMER_VALID) {
        return Optional.empty();
      }
      return Optional.of(of(out, referenceDate));
    } finally {
      out.clear();
      out.close();
    }
  }

  private static Memory parseNative(String text, LocalDate referenceDate) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(referenceDate, "referenceDate");
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    Memory out = new Memory(jamstat_personnummer.SIZE);
    jamstat_personnummer.init(out, 0);
    try (Memory in = Column.memory(utf8.length)) {
      in.write(0, utf8, 0, utf8.length);
      Jamstat.check(jamstat_personnummer_parse(utf8.length == 0 ? null : in, utf8.length, referenceDate.getYear(),
                                               referenceDate.getMonthValue(), referenceDate.getDayOfMonth(), out));
      in.clear();
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  private static Personnummer of(Pointer out, LocalDate referenceDate) {
    byte[] digits = out.getByteArray(jamstat_personnummer.canonical, 12);
    return new Personnummer(new String(digits, StandardCharsets.US_ASCII),
                            LocalDate.of(out.getInt(jamstat_personnummer.birth_year), out.getInt(jamstat_personnummer.birth_month),
                                         out.getInt(jamstat_personnummer.birth_day)),
                            out.getInt(jamstat_personnummer.sex), out.getInt(jamstat_personnummer.age),
                            out.getInt(jamstat_personnummer.samordningsnummer) != 0, referenceDate);
  }

  /**
   * `text` with every run shaped like a personnummer or samordningsnummer (valid check digit or
   * not) masked as X, for the caller's own log lines: "pnr 811218-9876" becomes "pnr XXXXXX-XXXX".
   */
  public static String mask(String text) {
    Objects.requireNonNull(text, "text");
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    try (Memory in = Column.memory(utf8.length); Memory needed = new Memory(8)) {
      in.write(0, utf8, 0, utf8.length);
      Pointer input = utf8.length == 0 ? null : in;
      long capacity = Math.max(0, maskBuffer);
      while (true) {
        try (Memory buffer = Column.memory(capacity)) {
          needed.setLong(0, 0);
          int status = jamstat_mask_personnummer(input, utf8.length, capacity == 0 ? null : buffer, capacity, needed);
          long n = needed.getLong(0);
          if (status == JamstatAbi.JAMSTAT_ERROR_BUFFER_TOO_SMALL && n > capacity) {
            capacity = n;  // asked for more: once again at that size
            continue;
          }
          Jamstat.check(status);
          return new String(buffer.getByteArray(0, (int) (n - 1)), StandardCharsets.UTF_8);
        }
      }
    }
  }

  /** YYYYMMDDNNNC, 12 digits (a samordningsnummer keeps its day + 60). The number itself: never log or store it. */
  public String canonical() {
    return canonical;
  }

  /** The canonical 12 digits as ASCII bytes (a new array): the person id the CSV ingest hashes for this person. */
  public byte[] personId() {
    return canonical.getBytes(StandardCharsets.US_ASCII);
  }

  /** The real birth date (the day less 60 for a samordningsnummer). */
  public LocalDate birthDate() {
    return birthDate;
  }

  /** Legal sex, ISO/IEC 5218: 1 (man, odd second-to-last digit) or 2 (woman, even). */
  public int sex() {
    return sex;
  }

  /** Completed years at the reference date. */
  public int age() {
    return age;
  }

  /** True for a samordningsnummer (day + 60). */
  public boolean isSamordningsnummer() {
    return samordningsnummer;
  }

  /** The reference date it was parsed at. */
  public LocalDate referenceDate() {
    return referenceDate;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Personnummer && ((Personnummer) other).canonical.equals(canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  /** Always {@code Personnummer(XXXXXXXX-XXXX)}: never the number. */
  @Override
  public String toString() {
    return "Personnummer(XXXXXXXX-XXXX)";
  }
}
