package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One record at a time: counts against an independent tally in Java, and every kind of bad record. */
class RecordTest {
  @Test
  void countsEqualAnIndependentTally() {
    Fixtures.Records r = new Fixtures.Records(2000, 11);
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      long[] bySexIntervention = new long[10 * 4];
      long[] successes = new long[10 * 4];
      double[] hours = new double[10 * 4];
      for (int i = 0; i < r.n; ++i) {
        assertTrue(a.add(r.codes(i), new int[] {r.inWork[i]}, new double[] {r.hours[i], r.cost[i]}));
        int k = r.sex[i] * 4 + r.intervention[i];
        bySexIntervention[k]++;
        successes[k] += r.inWork[i];
        hours[k] += r.hours[i];
      }
      assertEquals(r.n, a.participations());
      assertEquals(0, a.rejected());
      try (Table t = a.rollup("intervention")) {
        assertEquals(2, t.dimensionCount());
        assertEquals(0, t.dimension(0), "sex first");
        assertEquals(1, t.dimension(1));
        int cells = t.cellCount();
        long total = 0;
        for (int c = 0; c < cells; ++c) {
          Level sex = t.level(c, 0);
          Level what = t.level(c, 1);
          int k = sex.code() * 4 + what.code();
          assertEquals(bySexIntervention[k], t.counts(c).participations(), "cell " + sex + " " + what);
          assertEquals(successes[k], t.successes(c, 0));
          assertEquals((double) successes[k] / bySexIntervention[k], t.proportion(c, 0), 1e-15);
          assertEquals(hours[k], t.numeric(c, 0).sum(), 1e-6);
          assertFalse(t.counts(c).hasPersons());
          total += t.counts(c).participations();
        }
        assertEquals(r.n, total);
      }
    }
  }

  @Test
  void badRecordUnderRejectCarriesRowFieldAndReason() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1.5, 3});
      JamstatException e = assertThrows(JamstatException.class, () -> a.add(new int[] {3, 1, 10}, new int[] {1}, new double[] {1.5, 3}));
      assertEquals(Status.ERROR_BAD_RECORD, e.status());
      assertEquals("JAMSTAT_ERROR_BAD_RECORD", e.statusName());
      assertEquals(0, e.row());
      assertEquals(0, e.field());
      assertEquals("sex", e.fieldName());
      assertEquals(RejectionReason.SEX_NOT_ISO5218, e.reason());
      assertTrue(e.getMessage().contains("sex") && e.getMessage().contains("3"), e.getMessage());

      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 4, 10}, new int[] {1}, new double[] {1.5, 3}));
      assertEquals("intervention", e.fieldName());
      assertEquals(RejectionReason.CODE_UNKNOWN, e.reason());
      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, -1, 10}, new int[] {1}, new double[] {1.5, 3}));
      assertEquals(RejectionReason.CODE_MISSING, e.reason());
      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1, 10}, new int[] {2}, new double[] {1.5, 3}));
      assertEquals("in_work", e.fieldName());
      assertEquals(RejectionReason.OUTCOME_NOT_BINARY, e.reason());
      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1.555, 3}));
      assertEquals("hours", e.fieldName());
      assertEquals(RejectionReason.MEASURE_OFF_RESOLUTION, e.reason());
      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {10000.01, 3}));
      assertEquals(RejectionReason.MEASURE_OUT_OF_RANGE, e.reason());
      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, Double.NaN}));
      assertEquals("cost", e.fieldName());
      assertEquals(RejectionReason.MEASURE_NOT_FINITE, e.reason());
      assertEquals(1, a.participations(), "nothing bad was added");
      assertEquals(0, a.rejected(), "REJECT tallies nothing");
    }
  }

  @Test
  void badRecordUnderTallyIsCountedAndReportedAsNotAccepted() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s, AggregatorOptions.defaults().policy(BadRecordPolicy.TALLY))) {
      assertTrue(a.add(new int[] {1, 2, 20}, new int[] {0}, new double[] {2, 3}));
      assertFalse(a.add(new int[] {5, 2, 20}, new int[] {0}, new double[] {2, 3}));
      assertFalse(a.add(new int[] {1, 9, 20}, new int[] {0}, new double[] {2, 3}));
      assertFalse(a.add(new int[] {1, 9, 20}, new int[] {0}, new double[] {2, 3}));
      assertEquals(1, a.participations());
      assertEquals(3, a.rejected());
      assertEquals(1, a.rejected(RejectionReason.SEX_NOT_ISO5218, 0));
      assertEquals(2, a.rejected(RejectionReason.CODE_UNKNOWN, 1));
      assertEquals(2, a.rejected(null, 1));
      assertEquals(0, a.rejected(RejectionReason.CODE_UNKNOWN, 2));
      JamstatException e = assertThrows(JamstatException.class, () -> a.rejected(RejectionReason.CODE_UNKNOWN, 99));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
    }
  }

  @Test
  void wrongCountsAreReportedByTheLibrary() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      JamstatException e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1}, new int[] {1}, new double[] {1, 2}));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("3"), "names the schema's count: " + e.getMessage());
      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1, 10}, null, new double[] {1, 2}));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 2, 3}));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertThrows(NullPointerException.class, () -> a.add(null, new int[] {1}, new double[] {1, 2}));
      assertEquals(0, a.participations());
      // and the fast path still works after the slow one
      assertTrue(a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 2}));
      assertEquals(1, a.participations());
    }
  }

  @Test
  void personsAreCountedOnceWhateverTheFormOfTheirId() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s, AggregatorOptions.defaults().countPersons(Fixtures.KEY))) {
      int[] women = {2, 1, 10};
      int[] out = {1};
      double[] m = {1, 2};
      a.add(women, out, m, "Åsa Öberg");
      a.add(women, out, m, "Åsa Öberg".getBytes(StandardCharsets.UTF_8));  // the same bytes: the same person
      a.add(women, out, m, 17L);
      a.add(women, out, m, 17L);
      a.add(women, out, m, "17");  // text "17" is not the integer 17
      byte[] longId = new byte[1000];  // longer than the record buffer's first size
      longId[999] = 1;
      a.add(women, out, m, longId);
      a.add(women, out, m, longId.clone());
      try (Table t = a.total()) {
        CellCounts c = t.counts(0);
        assertEquals(7, c.participations());
        assertTrue(c.hasPersons());
        assertEquals(4, c.persons());
      }
      JamstatException e = assertThrows(JamstatException.class, () -> a.add(women, out, m));
      assertEquals(Status.ERROR_BAD_RECORD, e.status());
      assertEquals(RejectionReason.PERSON_ID_MISSING, e.reason());
      assertEquals("person_id", e.fieldName());
      e = assertThrows(JamstatException.class, () -> a.add(women, out, m, ""));
      assertEquals(RejectionReason.PERSON_ID_MISSING, e.reason());
    }
  }

  @Test
  void personIdsAreRefusedWhenPersonsAreNotCounted() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      JamstatException e = assertThrows(JamstatException.class, () -> a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 2}, 5L));
      assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("person"), e.getMessage());
      assertEquals(0, a.participations());
    }
  }

  @Test
  void theAllZeroKeyIsRefused() {
    try (Schema s = Fixtures.schema()) {
      JamstatException e = assertThrows(JamstatException.class,
                                        () -> new Aggregator(s, AggregatorOptions.defaults().countPersons(new byte[16])));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertThrows(IllegalArgumentException.class, () -> AggregatorOptions.defaults().countPersons(new byte[15]));
    }
  }

  @Test
  void anonymousParticipantsFollowThePolicyAndNeverWrap() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      a.addAnonymous(2, 5);
      a.addAnonymous(1, 3);
      JamstatException e = assertThrows(JamstatException.class, () -> a.addAnonymous(3, 1));
      assertEquals(Status.ERROR_BAD_RECORD, e.status());
      try (Table t = a.rollup(0)) {
        assertEquals(5, t.counts(t.find(2)).anonymousParticipants());
        assertEquals(3, t.counts(t.find(1)).anonymousParticipants());
      }
      e = assertThrows(JamstatException.class, () -> a.addAnonymous(2, -1L));  // 5 + UINT64_MAX would wrap
      assertEquals(Status.ERROR_OVERFLOW, e.status());
      try (Table t = a.rollup(0)) {
        assertEquals(5, t.counts(t.find(2)).anonymousParticipants(), "unchanged");
      }
    }
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s, AggregatorOptions.defaults().policy(BadRecordPolicy.TALLY))) {
      a.addAnonymous(7, 4);
      assertEquals(4, a.rejected(RejectionReason.SEX_NOT_ISO5218, -1));
    }
  }
}
