package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Person-free states (Aggregator.stateForm, Aggregator.personFree; docs/state-format.md,
 * "Person-free states"): the form of each kind of state; the persons of a copy's frozen groupings
 * equal the original's (which counts them exactly from the hashes; the seeded records repeat
 * persons, so persons by sex are not the sum over the finer cells); a grouping not frozen has no
 * persons; the form survives serialize/deserialize; adds and merges are refused; protected tables
 * of the copy equal the original's.
 */
class PersonFreeTest {
  private static final List<List<String>> GROUPINGS =
      List.of(List.of("sex", "intervention"), List.of("intervention"), List.of("sex"), List.of());
  private static final AggregatorOptions WITH_PERSONS = AggregatorOptions.defaults().countPersons(Fixtures.KEY);

  private static Aggregator pseudonymised(Schema s) {
    Fixtures.Records r = new Fixtures.Records(600, 41);
    Aggregator a = new Aggregator(s, WITH_PERSONS);
    a.addColumns(r.n, Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork), Column.f64(r.hours),
                 Column.f64(r.cost), Column.u32(r.person));
    return a;
  }

  private static long[] persons(Aggregator a, int... dimensions) {
    try (Table t = a.rollup(dimensions)) {
      return t.export().persons();
    }
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) s += v;
    return s;
  }

  @Test
  void theFormOfEachKind() {
    try (Schema s = Fixtures.schema(); Aggregator plain = new Aggregator(s); Aggregator a = pseudonymised(s);
         Aggregator pf = a.personFree()) {
      assertEquals(StateForm.PARTICIPATIONS_ONLY, plain.stateForm());
      assertEquals(StateForm.PSEUDONYMISED, a.stateForm());
      assertEquals(StateForm.PERSON_FREE, pf.stateForm());
      assertNotSame(a, pf);
      assertEquals(StateForm.PSEUDONYMISED, a.stateForm(), "the original is left as it was");
      assertEquals(a.participations(), pf.participations());
    }
  }

  @Test
  void personsOfFrozenGroupingsEqualTheOriginals() {
    try (Schema s = Fixtures.schema(); Aggregator a = pseudonymised(s); Aggregator all = a.personFree();
         Aggregator bySex = a.personFree(List.of(List.of("sex")))) {
      long[] truth = persons(a, 0);
      assertTrue(sum(persons(a, 0, 1)) > sum(truth), "persons do not add up across interventions");
      assertArrayEquals(truth, persons(all, 0));
      assertArrayEquals(truth, persons(bySex, 0));
      for (int[] by : new int[][] {{0, 1}, {1}, {1, 2}, {0, 1, 2}, {}}) {
        assertArrayEquals(persons(a, by), persons(all, by), java.util.Arrays.toString(by));
      }
      assertArrayEquals(persons(a, 0, 1, 2), persons(bySex, 0, 1, 2), "the finest is always frozen");
      try (Table x = a.rollup("intervention"); Table y = all.rollup("intervention")) {
        assertArrayEquals(x.export().participations(), y.export().participations());
        assertArrayEquals(x.export().successes(0), y.export().successes(0));
        assertArrayEquals(x.export().measure(0).sum(), y.export().measure(0).sum());
      }
    }
  }

  @Test
  void aGroupingNotFrozenHasNoPersons() {
    try (Schema s = Fixtures.schema(); Aggregator a = pseudonymised(s);
         Aggregator pf = a.personFree(List.of(List.of("sex", "intervention")));
         Aggregator finestOnly = a.personFree(List.of());
         Aggregator byMask = a.personFree(new long[] {1, 0})) {
      try (Table t = pf.rollup(0)) {
        assertNull(t.export().persons(), "by sex: not frozen");
        assertFalse(t.counts(0).hasPersons());
        assertEquals(0, t.counts(0).persons());
        assertTrue(t.counts(0).participations() > 0);
      }
      assertArrayEquals(persons(a, 0, 1), persons(pf, 0, 1));
      assertNull(persons(finestOnly, 0), "an empty list freezes only the finest");
      assertNull(persons(finestOnly, 0, 1));
      assertArrayEquals(persons(a, 0, 1, 2), persons(finestOnly, 0, 1, 2));
      assertArrayEquals(persons(a, 0), persons(byMask, 0));
      assertArrayEquals(persons(a), persons(byMask));
      assertNull(persons(byMask, 1));
    }
  }

  @Test
  void badRequestsAreRefused() {
    try (Schema s = Fixtures.schema(); Aggregator plain = new Aggregator(s); Aggregator a = pseudonymised(s);
         Aggregator pf = a.personFree()) {
      JamstatException e = assertThrows(JamstatException.class, plain::personFree);
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("does not count persons"), e.getMessage());
      e = assertThrows(JamstatException.class, pf::personFree);
      assertTrue(e.getMessage().contains("person-free already"), e.getMessage());
      e = assertThrows(JamstatException.class, () -> a.personFree(new long[] {2, 2}));
      assertTrue(e.getMessage().contains("twice"), e.getMessage());
      assertThrows(JamstatException.class, () -> a.personFree(new long[] {1L << 5}));
      assertThrows(RuntimeException.class, () -> a.personFree(List.of(List.of("region"))));
      assertThrows(IllegalArgumentException.class, () -> a.personFree(List.of(List.of("sex", "sex"))));
    }
  }

  @Test
  void serializeAndDeserializeKeepTheForm() {
    try (Schema s = Fixtures.schema(); Aggregator a = pseudonymised(s);
         Aggregator pf = a.personFree(List.of(List.of("sex"), List.of("intervention")))) {
      byte[] state = pf.serialize();
      assertEquals(state.length, pf.serializedSize());
      assertTrue(state.length < a.serialize().length, "no person hashes");
      try (Aggregator back = Aggregator.deserialize(state, null)) {
        assertEquals(StateForm.PERSON_FREE, back.stateForm());
        assertArrayEquals(state, back.serialize());
        assertArrayEquals(persons(pf, 0), persons(back, 0));
        assertArrayEquals(persons(pf, 1), persons(back, 1));
        assertNull(persons(back, 0, 1));
      }
      JamstatException e = assertThrows(JamstatException.class, () -> Aggregator.deserialize(state, WITH_PERSONS));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status(), "a person key, but no hashes to add to");
    }
  }

  @Test
  void addingAndMergingAreRefused() {
    Fixtures.Records r = new Fixtures.Records(10, 7);
    try (Schema s = Fixtures.schema(); Aggregator a = pseudonymised(s); Aggregator pf = a.personFree()) {
      byte[] before = pf.serialize();
      JamstatException e = assertThrows(JamstatException.class, () -> pf.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 3}));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("person-free"), e.getMessage());
      e = assertThrows(JamstatException.class, () -> pf.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 3}, 42L));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      e = assertThrows(JamstatException.class, () -> pf.addColumns(r.n, Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age),
                                                                    Column.u8(r.inWork), Column.f64(r.hours), Column.f64(r.cost)));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      e = assertThrows(JamstatException.class, () -> pf.addAnonymous(2, 3));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      e = assertThrows(JamstatException.class, () -> a.merge(pf));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("merge"), e.getMessage());
      e = assertThrows(JamstatException.class, () -> pf.merge(a));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertArrayEquals(before, pf.serialize(), "unchanged");
    }
  }

  private static void sameTables(ProtectedTables p, ProtectedTables q) {
    assertEquals(p.size(), q.size());
    for (int g = 0; g < p.size(); ++g) {
      ProtectedTables.Columns x = p.grouping(g);
      ProtectedTables.Columns y = q.grouping(g);
      assertArrayEquals(x.countStatus, y.countStatus, "grouping " + g);
      assertArrayEquals(x.persons, y.persons, "grouping " + g);
      assertArrayEquals(x.participations, y.participations, "grouping " + g);
      assertArrayEquals(x.successes[0], y.successes[0], "grouping " + g);
      assertArrayEquals(x.measureSums[0], y.measureSums[0], "grouping " + g);
      assertEquals(p.toText(g, Language.SWEDISH), q.toText(g, Language.SWEDISH));
    }
  }

  @Test
  void protectedTablesEqualTheOriginals() {
    try (Schema s = Fixtures.schema(); Aggregator a = pseudonymised(s); Aggregator pf = a.personFree(GROUPINGS)) {
      ProtectedTables.Options strict = new ProtectedTables.Options();
      strict.frequencyThreshold = 20L;
      for (ProtectedTables.Options o : new ProtectedTables.Options[] {null, strict}) {
        try (ProtectedTables p = a.protectedTables(GROUPINGS, o); ProtectedTables q = pf.protectedTables(GROUPINGS, o)) {
          sameTables(p, q);
          assertEquals(p.summary().primaryCells, q.summary().primaryCells);
          assertEquals(p.summary().secondaryCells, q.summary().secondaryCells);
        }
      }
      // The cell key method keys a cell by its persons' hashes when the state has them; a person-free
      // state has none, so its noise is that of the original protected from counts.
      ProtectedTables.Options fromCounts = ProtectedTables.Options.cellKey(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
      fromCounts.persons = ProtectedTables.Persons.FROM_COUNTS;
      try (ProtectedTables p = a.protectedTables(GROUPINGS, fromCounts);
           ProtectedTables q = pf.protectedTables(GROUPINGS, ProtectedTables.Options.cellKey(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))) {
        sameTables(p, q);
      }
    }
    try (Schema s = Fixtures.schema(); Aggregator a = pseudonymised(s);
         Aggregator pf = a.personFree(List.of(List.of("sex", "intervention")))) {
      JamstatException e = assertThrows(JamstatException.class, () -> pf.protectedTables(List.of(List.of("sex")), null));
      assertTrue(e.getMessage().contains("did not freeze"), e.getMessage());
    }
  }
}
