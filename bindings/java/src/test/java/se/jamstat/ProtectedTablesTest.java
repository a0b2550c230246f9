package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Disclosure control through the binding: what the C columns hold reaches Java unchanged,
 * suppressed values never appear, published values equal the data (counted here in Java), the
 * audit's intervals hold the true values, and the cell key noise does not depend on the order of
 * merges. The methods themselves are tested in C++ (tests/disclosure).
 */
class ProtectedTablesTest {
  private static final long[] MASKS = {3, 2, 1, 0};  // sex x intervention, intervention, sex, total
  private static final byte[] SECRET = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115};

  /** Rows of (sex, intervention code, persons) cells, one participation per person. */
  private static final class Cells {
    final byte[] sex, intervention, age, inWork;
    final double[] hours, cost;
    final int[] person;
    final int n;

    Cells(int firstPerson, int[]... cells) {
      int rows = 0;
      for (int[] c : cells) rows += c[2];
      n = rows;
      sex = new byte[n];
      intervention = new byte[n];
      age = new byte[n];
      inWork = new byte[n];
      hours = new double[n];
      cost = new double[n];
      person = new int[n];
      int i = 0, p = firstPerson;
      for (int[] c : cells) {
        for (int k = 0; k < c[2]; ++k, ++i) {
          sex[i] = (byte) c[0];
          intervention[i] = (byte) c[1];
          age[i] = 10;
          inWork[i] = (byte) (i % 3 == 0 ? 1 : 0);
          hours[i] = 10 + i;
          cost[i] = 100 + i;
          person[i] = p++;
        }
      }
    }

    /** sex code * 100 + intervention code -> {persons, participations, successes}; hours sum. */
    Map<Integer, long[]> counts() {
      Map<Integer, long[]> m = new HashMap<>();
      for (int i = 0; i < n; ++i) {
        long[] c = m.computeIfAbsent(sex[i] * 100 + intervention[i], k -> new long[3]);
        c[0]++;  // one participation per person here
        c[1]++;
        c[2] += inWork[i];
      }
      return m;
    }

    Aggregator aggregator(Schema s) {
      Aggregator a = new Aggregator(s, AggregatorOptions.defaults().countPersons(Fixtures.KEY));
      a.addColumns(n, Column.u8(sex), Column.u8(intervention), Column.u8(age), Column.u8(inWork), Column.f64(hours),
                   Column.f64(cost), Column.u32(person));
      return a;
    }
  }

  private static Cells small() {
    return new Cells(0, new int[] {2, 1, 12}, new int[] {2, 2, 9}, new int[] {1, 1, 10}, new int[] {1, 2, 3});
  }

  @Test
  void smallCellsAreSuppressedAndPublishedValuesAreTrue() {
    Cells d = small();
    Map<Integer, long[]> truth = d.counts();
    try (Schema s = Fixtures.schema(); Aggregator a = d.aggregator(s);
         ProtectedTables p = a.protectedTables(List.of(List.of("sex", "intervention"), List.of("intervention"), List.of("sex"), List.of()), null)) {
      assertEquals(4, p.size());
      assertEquals(List.of("sex", "intervention"), p.groupingDimensions(0));
      assertEquals(ProtectedTables.Method.CELL_SUPPRESSION, p.method());
      assertEquals("", p.note());
      ProtectedTables.Columns c = p.grouping(0);
      assertEquals(12, c.cellCount);  // 4 sexes x 3 interventions, empty ones included
      assertEquals("Kvinnor", c.labelsSv[0][0]);
      assertEquals("Coaching", c.labelsEn[1][0]);
      int secondary = 0;
      boolean sawSmall = false;
      for (int i = 0; i < c.cellCount; ++i) {
        int key = c.levelCodes[0][i] * 100 + c.levelCodes[1][i];
        if (key == 102) {
          sawSmall = true;
          assertEquals(ProtectedTables.CellStatus.PRIMARY, c.countStatus[i]);
          assertNull(c.persons[i]);
          assertNull(c.participations[i]);
          assertNull(c.successes[0][i]);
          assertTrue(Double.isNaN(c.measureSums[0][i]));
        }
        if (c.countStatus[i] == ProtectedTables.CellStatus.SECONDARY) {
          ++secondary;
        }
        if (c.countStatus[i] == ProtectedTables.CellStatus.PUBLISHED) {
          long[] t = truth.getOrDefault(key, new long[3]);
          assertEquals(t[0], c.persons[i].longValue(), "persons of " + key);
          assertEquals(t[1], c.participations[i].longValue(), "participations of " + key);
          assertEquals(t[2], c.successes[0][i].longValue(), "successes of " + key);
        } else {
          assertNull(c.persons[i]);
        }
      }
      assertTrue(sawSmall);
      assertTrue(secondary > 0, "secondary suppression closes the marginals");
      ProtectedTables.Summary sum = p.summary();
      assertEquals(1, sum.primaryCells);
      assertEquals(3, sum.primaryPersons);
      assertEquals(secondary, sum.secondaryCells);
      assertEquals(0, sum.underProtected);
      assertTrue(sum.personsCounted);
      assertTrue(p.toText(0, Language.SWEDISH).contains(".. personer"));
      ProtectedTables.Columns plain = p.grouping(0, false);
      for (int i = 0; i < plain.cellCount; ++i) assertEquals(i, plain.cell[i]);
    }
  }

  @Test
  void totalsEqualTheRollup() {
    Cells d = small();
    try (Schema s = Fixtures.schema(); Aggregator a = d.aggregator(s); ProtectedTables p = a.protectedTables(MASKS, null);
         Table total = a.total()) {
      ProtectedTables.Columns c = p.grouping(3);
      assertEquals(1, c.cellCount);
      assertEquals(ProtectedTables.CellStatus.PUBLISHED, c.countStatus[0]);
      assertEquals(34L, c.persons[0].longValue());
      assertEquals(total.counts(0).persons(), c.persons[0].longValue());
      assertEquals(total.counts(0).participations(), c.participations[0].longValue());
      assertEquals(total.successes(0, 0), c.successes[0][0].longValue());
      assertEquals(total.numeric(0, 0).sum(), c.measureSums[0][0], 1e-9);
      assertEquals(total.numeric(0, 1).sum(), c.measureSums[1][0], 1e-9);
    }
  }

  @Test
  void auditIntervalsContainTheTrueValues() {
    Cells d = small();
    Map<Integer, long[]> truth = d.counts();
    try (Schema s = Fixtures.schema(); Aggregator a = d.aggregator(s); ProtectedTables p = a.protectedTables(MASKS, null)) {
      DisclosureAudit audit = p.audit();
      assertTrue(audit.count() > 0);
      assertEquals(p.summary().auditRows, audit.count());
      ProtectedTables.Columns c = p.grouping(0, false);
      Set<Long> audited = new HashSet<>();
      for (int r = 0; r < audit.count(); ++r) {
        assertTrue(audit.lower()[r] <= audit.value()[r] + 1e-9 && audit.value()[r] <= audit.upper()[r] + 1e-9, "row " + r);
        assertEquals(1, audit.protectedEnough()[r], "row " + r);
        if (audit.grouping()[r] != 0) {
          continue;
        }
        audited.add(audit.cell()[r]);
        if (audit.quantity()[r] == se.jamstat.abi.JamstatAbi.JAMSTAT_AUDIT_PERSONS) {
          int i = (int) audit.cell()[r];
          int key = c.levelCodes[0][i] * 100 + c.levelCodes[1][i];
          assertEquals((double) truth.get(key)[0], audit.value()[r], "true persons of " + key);
        }
      }
      for (int i = 0; i < c.cellCount; ++i) {
        if (c.countStatus[i].suppressed()) {
          assertTrue(audited.contains((long) i), "suppressed cell " + i + " is audited");
        }
      }
    }
  }

  @Test
  void cellKeyIsTheSameForMergesInEitherOrder() {
    Cells da = new Cells(0, new int[] {2, 1, 7}, new int[] {1, 2, 2}, new int[] {2, 2, 4});
    Cells db = new Cells(5, new int[] {2, 1, 6}, new int[] {1, 1, 8}, new int[] {1, 2, 3});  // persons 5, 6 in both
    ProtectedTables.Options options = ProtectedTables.Options.cellKey(SECRET);
    AggregatorOptions persons = AggregatorOptions.defaults().countPersons(Fixtures.KEY);
    try (Schema s = Fixtures.schema(); Aggregator a = da.aggregator(s); Aggregator b = db.aggregator(s);
         Aggregator ab = Aggregator.deserialize(a.serialize(), persons); Aggregator ba = Aggregator.deserialize(b.serialize(), persons)) {
      ab.merge(b);
      ba.merge(a);
      try (ProtectedTables p = ab.protectedTables(MASKS, options); ProtectedTables q = ba.protectedTables(MASKS, options)) {
        assertEquals(ProtectedTables.Method.CELL_KEY, p.method());
        assertTrue(p.note().contains("parts need not add up"));
        assertTrue(p.toText(3, Language.ENGLISH).contains("parts need not add up"));
        for (int g = 0; g < MASKS.length; ++g) {
          ProtectedTables.Columns x = p.grouping(g), y = q.grouping(g);
          assertArrayEquals(x.countStatus, y.countStatus, "grouping " + g);
          assertArrayEquals(x.persons, y.persons, "grouping " + g);
          assertArrayEquals(x.participations, y.participations, "grouping " + g);
          assertArrayEquals(x.successes[0], y.successes[0], "grouping " + g);
          assertArrayEquals(x.measureSums[0], y.measureSums[0], "grouping " + g);
        }
        ProtectedTables.Columns c = p.grouping(0);
        for (int i = 0; i < c.cellCount; ++i) {
          if (c.participations[i] == null || c.participations[i] != 0L) {
            assertEquals(ProtectedTables.CellStatus.PERTURBED, c.countStatus[i], "cell " + i);
          }
        }
        assertEquals(0, p.audit().count());
        assertTrue(p.summary().keysFromPersons);
      }
    }
  }

  @Test
  void badOptionsThrowWithTheCMessage() {
    try (Schema s = Fixtures.schema(); Aggregator a = small().aggregator(s)) {
      ProtectedTables.Options zero = new ProtectedTables.Options();
      zero.frequencyThreshold = 0L;
      JamstatException e = assertThrows(JamstatException.class, () -> a.protectedTables(MASKS, zero).close());
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("frequency_threshold"), e.getMessage());
      ProtectedTables.Options noSecret = new ProtectedTables.Options();
      noSecret.method = ProtectedTables.Method.CELL_KEY;
      e = assertThrows(JamstatException.class, () -> a.protectedTables(MASKS, noSecret).close());
      assertTrue(e.getMessage().contains("secret"), e.getMessage());
      e = assertThrows(JamstatException.class, () -> a.protectedTables(new long[] {1L << 10}, null).close());
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertThrows(IllegalArgumentException.class, () -> a.protectedTables(MASKS, ProtectedTables.Options.cellKey(new byte[5])));
      assertThrows(JamstatException.class, () -> a.protectedTables(List.of(List.of("no_such_dimension")), null));
    }
  }

  @Test
  void outlivesTheAggregatorAndCloses() {
    ProtectedTables p;
    try (Schema s = Fixtures.schema(); Aggregator a = small().aggregator(s)) {
      p = a.protectedTables(MASKS, null);
    }
    assertEquals(34L, p.grouping(3).persons[0].longValue());
    p.close();
    p.close();
    assertThrows(IllegalStateException.class, p::summary);
  }
}
