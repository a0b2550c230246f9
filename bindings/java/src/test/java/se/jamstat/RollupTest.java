package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Roll-ups, the total, the cube and the column-wise export, against sums computed here from the records. */
class RollupTest {
  private static Aggregator filled(Schema s, Fixtures.Records r) {
    Aggregator a = new Aggregator(s, AggregatorOptions.defaults().countPersons(Fixtures.KEY));
    a.addColumns(r.n, Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork), Column.f64(r.hours),
                 Column.f64(r.cost), Column.u32(r.person));
    return a;
  }

  @Test
  void tableKeepsTheCallersOrderOfDimensions() {
    Fixtures.Records r = new Fixtures.Records(1200, 21);
    try (Schema s = Fixtures.schema(); Aggregator a = filled(s, r);
         Table sexFirst = a.rollup(0, 1); Table interventionFirst = a.rollup(1, 0)) {
      assertEquals(1, interventionFirst.dimension(0));
      assertEquals(0, interventionFirst.dimension(1));
      assertEquals(sexFirst.cellCount(), interventionFirst.cellCount());
      // level indices in the table's order: intervention index 2 (code 3), women (sex index 2)
      int cell = interventionFirst.find(2, 2);
      assertEquals(3, interventionFirst.level(cell, 0).code());
      assertEquals("Kvinnor", interventionFirst.level(cell, 1).labelSv());
      long expected = 0;
      for (int i = 0; i < r.n; ++i) {
        expected += r.sex[i] == 2 && r.intervention[i] == 3 ? 1 : 0;
      }
      assertEquals(expected, interventionFirst.counts(cell).participations());
      assertEquals(expected, sexFirst.counts(sexFirst.find(2, 2)).participations());
      JamstatException e = assertThrows(JamstatException.class, () -> sexFirst.find(2));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
    }
  }

  @Test
  void exportHasEveryStatisticAndTheReportingOrder() {
    Fixtures.Records r = new Fixtures.Records(5000, 22);
    try (Schema s = Fixtures.schema(); Aggregator a = filled(s, r); Table t = a.rollup("intervention")) {
      TableColumns c = t.export(true);
      assertArrayEquals(new int[] {0, 1}, c.dimensions());
      int cells = c.cellCount();
      assertEquals(t.cellCount(), cells);
      // reporting order: Kvinnor, Män, Okänt, Ej tillämpligt
      int[] sexOrder = {2, 1, 0, 9};
      int last = -1;
      for (int i = 0; i < cells; ++i) {
        int rank = indexOf(sexOrder, c.levelCodes(0)[i]);
        assertTrue(rank >= last, "sex in reporting order at row " + i);
        last = rank;
      }
      assertEquals("Kvinnor", c.labels(0, Language.SWEDISH)[0]);
      assertEquals("Women", c.labels(0, Language.ENGLISH)[0]);
      for (int i = 0; i < cells; ++i) {
        int sex = c.levelCodes(0)[i];
        int intervention = c.levelCodes(1)[i];
        assertEquals(Fixtures.INTERVENTION_SV[intervention - 1], c.labels(1, Language.SWEDISH)[i]);
        // the reference: this cell's records, summed here
        long n = 0;
        long successes = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        java.util.Set<Integer> persons = new java.util.HashSet<>();
        for (int k = 0; k < r.n; ++k) {
          if (r.sex[k] == sex && r.intervention[k] == intervention) {
            ++n;
            successes += r.inWork[k];
            sum += r.hours[k];
            min = Math.min(min, r.hours[k]);
            max = Math.max(max, r.hours[k]);
            persons.add(r.person[k]);
          }
        }
        double mean = sum / n;
        double ss = 0;
        for (int k = 0; k < r.n; ++k) {
          if (r.sex[k] == sex && r.intervention[k] == intervention) {
            ss += (r.hours[k] - mean) * (r.hours[k] - mean);
          }
        }
        assertEquals(n, c.participations()[i]);
        assertEquals(persons.size(), c.persons()[i], "exact distinct persons");
        assertEquals(successes, c.successes(0)[i]);
        MeasureColumns hours = c.measure(0);
        assertEquals(n, hours.count()[i]);
        assertEquals(sum, hours.sum()[i], 1e-6);
        assertEquals(mean, hours.mean()[i], 1e-9);
        assertEquals(ss / (n - 1), hours.variance()[i], 1e-6 * ss / (n - 1));
        assertEquals(Math.sqrt(hours.variance()[i]), hours.sd()[i], 1e-12 * hours.sd()[i]);
        assertEquals(min, hours.min()[i]);
        assertEquals(max, hours.max()[i]);
        // the per-cell accessors agree with the export
        int cell = t.find(indexOfSex(sex), intervention - 1);
        assertEquals(n, t.counts(cell).participations());
        assertEquals(persons.size(), t.counts(cell).persons());
        NumericStats st = t.numeric(cell, 0);
        assertEquals(hours.mean()[i], st.mean());
        assertEquals(hours.secondMax()[i], st.secondMax());
        assertEquals(MeasureKind.DECIMAL, st.kind());
        assertEquals(2, st.decimals());
      }
      assertNull(c.anonymousParticipants(), "the table groups by more than sex");
      assertEquals(1, c.outcomeCount());
      assertEquals(2, c.measureCount());
    }
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; ++i) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** Level index of an ISO/IEC 5218 code in the sex dimension: 0, 1, 2, 9 in that order. */
  private static int indexOfSex(int code) {
    return indexOf(new int[] {0, 1, 2, 9}, code);
  }

  @Test
  void theTotalHasOneCellEvenWhenEmpty() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      try (Table t = a.total(); Table none = a.rollup(new int[0])) {
        assertEquals(1, t.cellCount());
        assertEquals(0, t.dimensionCount());
        assertEquals(0, t.counts(0).participations());
        assertTrue(Double.isNaN(t.numeric(0, 0).mean()));
        assertTrue(Double.isNaN(t.proportion(0, 0)));
        assertEquals(1, none.cellCount());
      }
      a.addAnonymous(9, 2);
      try (Table t = a.total()) {
        assertEquals(2, t.counts(0).anonymousParticipants());
        assertArrayEquals(new long[] {2}, t.export().anonymousParticipants());
      }
    }
  }

  @Test
  void cubeTablesEqualRollups() {
    Fixtures.Records r = new Fixtures.Records(3000, 23);
    try (Schema s = Fixtures.schema(); Aggregator a = filled(s, r); Cube cube = a.cube()) {
      assertEquals(8, cube.tableCount());
      for (long mask = 0; mask < 8; ++mask) {
        final long m = mask;
        int[] dims = java.util.stream.IntStream.range(0, 3).filter(d -> ((m >> d) & 1) != 0).toArray();
        try (Table fromCube = cube.table(mask); Table rollup = a.rollup(dims)) {
          TableColumns x = fromCube.export();
          TableColumns y = rollup.export();
          assertArrayEquals(y.participations(), x.participations(), "mask " + mask);
          assertArrayEquals(y.persons(), x.persons(), "mask " + mask);
          assertArrayEquals(y.measure(1).sum(), x.measure(1).sum(), "mask " + mask);
        }
      }
      assertThrows(JamstatException.class, () -> cube.table(8));
    }
  }

  @Test
  void tablesOutliveTheirAggregatorAndCube() {
    Fixtures.Records r = new Fixtures.Records(500, 24);
    Table t;
    Table fromCube;
    try (Schema s = Fixtures.schema(); Aggregator a = filled(s, r)) {
      t = a.rollup("age_band");
      try (Cube c = a.cube()) {
        fromCube = c.table(1);
      }
    }
    try (Table x = t; Table y = fromCube) {
      assertEquals(500, Arrays.stream(x.export().participations()).sum());
      assertEquals(500, Arrays.stream(y.export().participations()).sum());
    }
  }
}
