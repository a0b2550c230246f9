package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {
  @Test
  void readsBackEveryDefinition() {
    try (Schema s = Fixtures.schema()) {
      assertEquals(3, s.dimensionCount());
      assertEquals(1, s.outcomeCount());
      assertEquals(2, s.numericCount());
      assertEquals(List.of("sex", "intervention", "age_band", "in_work", "hours", "cost", "person_id"), s.fieldNames());
      assertEquals(7, s.fieldCount());
      assertEquals("intervention", s.dimensionName(1));
      assertEquals(1, s.dimensionIndex("intervention"));
      assertEquals(2, s.dimensionIndex("age_band"));
      assertEquals("Insats", s.dimensionLabel(1, Language.SWEDISH));
      assertEquals("Intervention", s.dimensionLabel(1, Language.ENGLISH));
      assertEquals("Kön", s.dimensionLabel(0, Language.SWEDISH));
      assertEquals("Sex", s.dimensionLabel(0, Language.ENGLISH));
      assertEquals("", s.dimensionLabel(2, Language.SWEDISH), "no labels given");
      assertEquals(4, s.levelCount(0));
      assertEquals(3, s.levelCount(1));
      assertEquals(2, s.levelCode(1, 1));
      assertEquals("Förberedande utbildning", s.levelLabel(1, 2, Language.SWEDISH));
      assertEquals("Preparatory education", s.levelLabel(1, 2, Language.ENGLISH));
      assertEquals("16–29 år", s.levelLabel(2, 0, Language.SWEDISH));
      assertEquals(1, s.levelIndex(2, 20));
      // sex levels by index: Okänt, Män, Kvinnor, Ej tillämpligt (ISO/IEC 5218 0, 1, 2, 9)
      assertEquals(2, s.levelCode(0, 2));
      assertEquals("Kvinnor", s.levelLabel(0, 2, Language.SWEDISH));
      assertEquals("Män", s.levelLabel(0, 1, Language.SWEDISH));
      assertEquals("Women", s.levelLabel(0, 2, Language.ENGLISH));

      MeasureDefinition hours = s.measure(0);
      assertEquals("hours", hours.name());
      assertEquals("h", hours.unit());
      assertEquals("Timmar", hours.labelSv());
      assertEquals("Hours", hours.label(Language.ENGLISH));
      assertEquals(MeasureKind.DECIMAL, hours.kind());
      assertEquals(2, hours.decimals());
      assertEquals(OffGrid.REJECT, hours.offGrid());
      assertTrue(hours.hasRange());
      assertEquals(0.0, hours.lowest());
      assertEquals(10000.0, hours.highest());
      MeasureDefinition cost = s.measure(1);
      assertEquals(MeasureKind.FLOATING, cost.kind());
      assertTrue(cost.hasRange(), "read back with its range resolved");
      assertEquals(1e140, cost.highest());
    }
  }

  @Test
  void fingerprintFollowsTheDefinition() {
    try (Schema a = Fixtures.schema(); Schema b = Fixtures.schema();
         Schema c = Schema.builder().dimension("intervention", "Insats", "Intervention", Fixtures.INTERVENTION_CODES,
                                               new String[] {"Coachning", "Praktik", "Annat"}, Fixtures.INTERVENTION_EN).build()) {
      assertEquals(a.fingerprint(), b.fingerprint());
      assertNotEquals(a.fingerprint(), c.fingerprint());
    }
  }

  @Test
  void invalidDefinitionsFailWithTheLibrarysMessage() {
    Schema.Builder b = Schema.builder().dimension("region", new int[] {1, 2}, new String[] {"Norr", "Söder"}, new String[] {"North", "South"})
                           .dimension("REGION", new int[] {1}, new String[] {"x"}, new String[] {"x"});
    JamstatException e = assertThrows(JamstatException.class, b::build);
    assertEquals(Status.ERROR_INVALID_SCHEMA, e.status());
    assertTrue(e.getMessage().contains("REGION"), e.getMessage());

    e = assertThrows(JamstatException.class,
                     () -> Schema.builder().dimension("sex", new int[] {1}, new String[] {"a"}, new String[] {"a"}).build());
    assertTrue(e.getMessage().contains("sex"), e.getMessage());

    e = assertThrows(JamstatException.class,
                     () -> Schema.builder().dimension("d", new int[] {1, 1}, new String[] {"a", "b"}, new String[] {"a", "b"}).build());
    assertEquals(Status.ERROR_INVALID_SCHEMA, e.status());

    e = assertThrows(JamstatException.class, () -> Schema.builder().measure(MeasureDefinition.decimal("m", 12)).build());
    assertTrue(e.getMessage().contains("decimals"), e.getMessage());

    assertThrows(IllegalArgumentException.class,
                 () -> Schema.builder().dimension("d", new int[] {1, 2}, new String[] {"a"}, new String[] {"a", "b"}));
    IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                                                () -> Schema.builder().outcome("in\0work").build());
    assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
  }

  @Test
  void unknownNamesAndCodes() {
    try (Schema s = Fixtures.schema()) {
      JamstatException e = assertThrows(JamstatException.class, () -> s.dimensionIndex("Åldersgrupp"));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("Åldersgrupp"), "the name comes back as UTF-8: " + e.getMessage());
      e = assertThrows(JamstatException.class, () -> s.levelIndex(1, 7));
      assertTrue(e.getMessage().contains("7"), e.getMessage());
      assertThrows(JamstatException.class, () -> s.levelCount(3));
      assertThrows(IndexOutOfBoundsException.class, () -> s.fieldName(7));
    }
  }

  @Test
  void builderStaysUsable() {
    Schema.Builder b = Schema.builder().outcome("in_work");
    try (Schema one = b.build(); Schema two = b.build()) {
      assertEquals(one.fingerprint(), two.fingerprint());
    }
  }
}
