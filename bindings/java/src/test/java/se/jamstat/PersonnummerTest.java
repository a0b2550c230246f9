package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Personnummer.parse / tryParse, the masked string form, Personnummer.mask, and the canonical form
 * as a person id. The values are those of tests/c_api/personnummer_test.c, whose check digits are
 * Skatteverket's Luhn digits computed independently in Python 3 (see there):
 * luhn('811218987') == 6, luhn('701063239') == 1, luhn('121212121') == 2, luhn('000229123') == 5,
 * luhn('251231123') == 0.
 */
class PersonnummerTest {
  private static final LocalDate END_2025 = LocalDate.of(2025, 12, 31);

  private static Personnummer parse(String text, LocalDate day) {
    return Personnummer.parse(text, day);
  }

  private static Personnummer parse(String text) {
    return parse(text, END_2025);
  }

  @Test
  void aValidNumber() {
    Personnummer p = parse("811218-9876");
    assertEquals("198112189876", p.canonical());
    assertArrayEquals("198112189876".getBytes(java.nio.charset.StandardCharsets.US_ASCII), p.personId());
    assertEquals(LocalDate.of(1981, 12, 18), p.birthDate());
    assertEquals(1, p.sex(), "second-to-last digit 7: odd, a man");
    assertEquals(44, p.age());
    assertFalse(p.isSamordningsnummer());
    assertEquals(END_2025, p.referenceDate());
    p.personId()[0] = 'X';  // a copy: the object stays as it was
    assertEquals("198112189876", new String(p.personId(), java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void everyFormHasTheSameCanonicalForm() {
    Personnummer reference = parse("811218-9876");
    for (String form : List.of("198112189876", "19811218-9876", "8112189876", "  811218-9876 ")) {
      Personnummer p = parse(form);
      assertEquals("198112189876", p.canonical(), form);
      assertEquals(reference, p);
      assertEquals(reference.hashCode(), p.hashCode());
    }
  }

  @Test
  void ageInCompletedYears() {
    assertEquals(43, parse("811218-9876", LocalDate.of(2025, 12, 17)).age(), "the day before the birthday");
    assertEquals(44, parse("811218-9876", LocalDate.of(2025, 12, 18)).age(), "on it");
    Personnummer p = parse("000229-1235", LocalDate.of(2001, 2, 28));
    assertEquals(LocalDate.of(2000, 2, 29), p.birthDate());
    assertEquals(0, p.age());
    assertEquals(1, p.sex());
    assertEquals(1, parse("000229-1235", LocalDate.of(2001, 3, 1)).age(), "29 February: a year older on 1 March");
  }

  @Test
  void samordningsnummer() {
    Personnummer p = parse("701063-2391", LocalDate.of(2025, 6, 1));
    assertTrue(p.isSamordningsnummer());
    assertEquals("197010632391", p.canonical(), "keeps its day + 60");
    assertEquals(LocalDate.of(1970, 10, 3), p.birthDate(), "the real birth date");
    assertEquals(1, p.sex());
    assertEquals(54, p.age());
  }

  @Test
  void plusSignAndCentury() {
    Personnummer p = parse("121212+1212");
    assertEquals(1912, p.birthDate().getYear(), "'+': a hundred years earlier");
    assertEquals(113, p.age());
    assertEquals(1, p.sex());
    p = parse("121212-1212");
    assertEquals(2012, p.birthDate().getYear());
    assertEquals(13, p.age());
    assertEquals(2025, parse("251231-1230", END_2025).birthDate().getYear(), "the latest year not after the reference year");
    InvalidPersonnummerException e = assertThrows(InvalidPersonnummerException.class,
                                                  () -> parse("251231-1230", LocalDate.of(2025, 12, 30)));
    assertEquals(PersonnummerProblem.BORN_AFTER_REFERENCE, e.problem());
  }

  @Test
  void everyProblemIsNamed() {
    Object[][] cases = {
        {"811218-9875", PersonnummerProblem.CHECK_DIGIT, "check_digit"},
        {"811218-98765", PersonnummerProblem.FORMAT, "format"},
        {"81121-9876", PersonnummerProblem.FORMAT, "format"},
        {"", PersonnummerProblem.FORMAT, "format"},
        {"abcdef-ghij", PersonnummerProblem.FORMAT, "format"},
        {"811318-9875", PersonnummerProblem.INVALID_DATE, "invalid_date"},
        {"20300101-1232", PersonnummerProblem.BORN_AFTER_REFERENCE, "born_after_reference"},
        {"19811218+9876", PersonnummerProblem.PLUS_SIGN_MISMATCH, "plus_sign_mismatch"},
        {"811218-9876\0" + "1234", PersonnummerProblem.FORMAT, "format"},  // the whole text, NUL and all
    };
    for (Object[] c : cases) {
      String text = (String) c[0];
      InvalidPersonnummerException e = assertThrows(InvalidPersonnummerException.class, () -> parse(text), text);
      assertEquals(c[1], e.problem(), text);
      assertEquals(c[2], e.problemName(), text);
      assertEquals(c[2], e.problem().stableName());
      assertInstanceOf(IllegalArgumentException.class, e);
      assertFalse(e.problem().message().isEmpty());
      assertTrue(e.getMessage().contains(e.problem().message()), e.getMessage());
      String digits = text.replaceAll("[^0-9]", "");
      if (digits.length() >= 4) {
        assertFalse(e.getMessage().contains(digits) || e.getMessage().contains(text), "no message contains the number");
      }
      assertEquals(Optional.empty(), Personnummer.tryParse(text, END_2025));
    }
    assertEquals(Optional.of(parse("811218-9876")), Personnummer.tryParse("811218-9876", END_2025));
  }

  @Test
  void problemNamesAndMessages() {
    assertEquals("check_digit", PersonnummerProblem.problemName(3));
    assertEquals("valid", PersonnummerProblem.problemName(0));
    assertEquals("unknown", PersonnummerProblem.problemName(99));
    assertEquals("unknown", PersonnummerProblem.problemName(-1));
    assertEquals("", PersonnummerProblem.problemMessage(0));
    assertEquals("", PersonnummerProblem.problemMessage(99));
    assertEquals("the check digit does not match", PersonnummerProblem.CHECK_DIGIT.message());
    assertNull(PersonnummerProblem.fromCode(0));
  }

  @Test
  void badArgumentsAreTheLibrarysErrors() {
    for (LocalDate bad : List.of(LocalDate.of(1800, 1, 1), LocalDate.of(10000, 1, 1))) {
      JamstatException e = assertThrows(JamstatException.class, () -> parse("811218-9876", bad));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("reference date"), e.getMessage());
      assertThrows(JamstatException.class, () -> Personnummer.tryParse("811218-9876", bad));
    }
    assertThrows(NullPointerException.class, () -> parse(null));
    assertThrows(NullPointerException.class, () -> parse("811218-9876", null));
  }

  @Test
  void theStringFormNeverShowsTheNumber() {
    Personnummer p = parse("811218-9876");
    assertEquals("Personnummer(XXXXXXXX-XXXX)", p.toString());
    for (String text : List.of(p.toString(), String.valueOf(p), "" + p, List.of(p).toString(), Optional.of(p).toString(),
                               String.format("%s", p))) {
      assertFalse(text.contains("9876") || text.contains("811218") || text.contains("1981"), text);
    }
    assertFalse(java.io.Serializable.class.isAssignableFrom(Personnummer.class), "not serializable: it is the number");
  }

  @Test
  void masking() {
    String text = "pnr 811218-9876, 198112189876 and 701063-2391; case 12345, 2025-12-31";
    String want = "pnr XXXXXX-XXXX, XXXXXXXXXXXX and XXXXXX-XXXX; case 12345, 2025-12-31";
    assertEquals(want, Personnummer.mask(text));
    assertEquals("", Personnummer.mask(""));
    assertEquals("Män XXXXXX-XXXX å", Personnummer.mask("Män 811218-9876 å"), "UTF-8 in and out");
    assertThrows(NullPointerException.class, () -> Personnummer.mask(null));
  }

  @Test
  void aBufferTooSmallIsRetried() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100; ++i) {
      b.append("pnr 811218-9876 nr ").append(i).append("; ");
    }
    String text = b.toString();
    assertTrue(text.length() > Personnummer.maskBuffer);
    assertEquals(text.replace("811218-9876", "XXXXXX-XXXX"), Personnummer.mask(text));
    int saved = Personnummer.maskBuffer;
    try {
      Personnummer.maskBuffer = 1;
      assertEquals("pnr XXXXXX-XXXX", Personnummer.mask("pnr 811218-9876"));
      Personnummer.maskBuffer = 0;
      assertEquals("x", Personnummer.mask("x"));
      assertEquals("", Personnummer.mask(""));
    } finally {
      Personnummer.maskBuffer = saved;
    }
  }

  @Test
  void twoFormsOfOneNumberAreOnePerson() {
    Personnummer a = parse("811218-9876");
    Personnummer b = parse("198112189876");
    AggregatorOptions o = AggregatorOptions.defaults().countPersons(Fixtures.KEY);
    try (Schema s = Schema.builder().build(); Aggregator agg = new Aggregator(s, o)) {
      agg.add(new int[] {a.sex()}, null, null, a);
      agg.add(new int[] {b.sex()}, null, null, b.personId());
      try (Table t = agg.total()) {
        assertEquals(2, t.counts(0).participations());
        assertEquals(1, t.counts(0).persons(), "two forms, one person");
      }
      Personnummer c = parse("701063-2391");
      agg.add(new int[] {c.sex()}, null, null, c);
      try (Table t = agg.total()) {
        assertEquals(2, t.counts(0).persons());
      }
    }
  }

  @Test
  void aColumnOfPersonnummer() {
    Personnummer[] people = {parse("811218-9876"), parse("198112189876"), parse("19811218-9876"), parse("701063-2391")};
    byte[] sex = new byte[people.length];
    String[] canonical = new String[people.length];
    for (int i = 0; i < people.length; ++i) {
      sex[i] = (byte) people[i].sex();
      canonical[i] = people[i].canonical();
    }
    AggregatorOptions o = AggregatorOptions.defaults().countPersons(Fixtures.KEY);
    try (Schema s = Schema.builder().build(); Aggregator a = new Aggregator(s, o); Aggregator b = new Aggregator(s, o)) {
      a.addColumns(people.length, Column.u8(sex), Column.personIds(people));
      b.addColumns(people.length, Column.u8(sex), Column.personIds(canonical));
      try (Table t = a.total()) {
        assertEquals(4, t.counts(0).participations());
        assertEquals(2, t.counts(0).persons());
      }
      assertArrayEquals(b.serialize(), a.serialize(), "the same as the canonical text, hashed as its ASCII bytes");
    }
  }
}
