package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Serialized states, merges of partners' states, and their errors. */
class StateTest {
  private static void addHalf(Aggregator a, Fixtures.Records r, int from, int to) {
    for (int i = from; i < to; ++i) {
      a.add(r.codes(i), new int[] {r.inWork[i]}, new double[] {r.hours[i], r.cost[i]}, Integer.toUnsignedLong(r.person[i]));
    }
  }

  @Test
  void stateRoundTripsAndMergesLikeOneAggregator() {
    Fixtures.Records r = new Fixtures.Records(2000, 31);
    AggregatorOptions o = AggregatorOptions.defaults().countPersons(Fixtures.KEY);
    try (Schema s = Fixtures.schema(); Aggregator all = new Aggregator(s, o); Aggregator first = new Aggregator(s, o);
         Aggregator second = new Aggregator(s, o)) {
      addHalf(all, r, 0, r.n);
      addHalf(first, r, 0, 1000);
      addHalf(second, r, 1000, r.n);
      byte[] state = second.serialize();
      assertEquals(state.length, second.serializedSize());
      try (Aggregator read = Aggregator.deserialize(state, null)) {
        assertArrayEquals(state, read.serialize(), "re-serialized byte for byte");
        first.merge(read);
      }
      try (Table x = all.rollup("intervention", "age_band"); Table y = first.rollup("intervention", "age_band")) {
        TableColumns a = x.export();
        TableColumns b = y.export();
        assertArrayEquals(a.participations(), b.participations());
        assertArrayEquals(a.persons(), b.persons(), "persons seen by both partners counted once");
        assertArrayEquals(a.measure(0).sum(), b.measure(0).sum(), "decimal sums are exact");
      }
    }
  }

  @Test
  void directBuffersAndTheSizeQuery() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1.25, 3});
      long size = a.serializedSize();
      ByteBuffer small = ByteBuffer.allocateDirect((int) size - 1);
      JamstatException e = assertThrows(JamstatException.class, () -> a.serialize(small));
      assertEquals(Status.ERROR_BUFFER_TOO_SMALL, e.status());
      ByteBuffer buffer = ByteBuffer.allocateDirect((int) size + 10);
      buffer.position(10);
      assertEquals(size, a.serialize(buffer));
      assertEquals(size + 10, buffer.position());
      buffer.flip().position(10);
      try (Aggregator read = Aggregator.deserialize(buffer, null)) {
        assertEquals(1, read.participations());
        assertArrayEquals(a.serialize(), read.serialize());
      }
      assertThrows(IllegalArgumentException.class, () -> a.serialize(ByteBuffer.allocate(100)));
    }
  }

  @Test
  void badStatesAreRefusedWithTheLibrarysMessage() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      byte[] state = a.serialize();
      JamstatException e = assertThrows(JamstatException.class, () -> Aggregator.deserialize(Arrays.copyOf(state, state.length - 3), null));
      assertEquals(Status.ERROR_STATE_FORMAT, e.status());
      assertFalse(e.getMessage().isEmpty());
      e = assertThrows(JamstatException.class, () -> Aggregator.deserialize("not a state".getBytes(java.nio.charset.StandardCharsets.UTF_8), null));
      assertEquals(Status.ERROR_STATE_FORMAT, e.status());
      e = assertThrows(JamstatException.class, () -> Aggregator.deserialize(new byte[0], null));
      assertNotNull(e.status());
    }
  }

  @Test
  void addingToAStateThatCountsPersonsNeedsItsKey() {
    AggregatorOptions o = AggregatorOptions.defaults().countPersons(Fixtures.KEY);
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s, o)) {
      a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 3}, 42L);
      byte[] state = a.serialize();
      try (Aggregator withKey = Aggregator.deserialize(state, o)) {
        withKey.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 3}, 42L);
        try (Table t = withKey.total()) {
          assertEquals(2, t.counts(0).participations());
          assertEquals(1, t.counts(0).persons(), "the same person, hashed with the same key");
        }
      }
      byte[] otherKey = Fixtures.KEY.clone();
      otherKey[0] = 99;
      JamstatException e = assertThrows(JamstatException.class,
                                        () -> Aggregator.deserialize(state, AggregatorOptions.defaults().countPersons(otherKey)));
      assertEquals(Status.ERROR_SCHEMA_MISMATCH, e.status(), e.getMessage());
    }
  }

  @Test
  void mergeRefusesOtherSchemasAndItself() {
    try (Schema s = Fixtures.schema(); Schema other = Schema.builder().outcome("x").build(); Aggregator a = new Aggregator(s);
         Aggregator b = new Aggregator(other)) {
      JamstatException e = assertThrows(JamstatException.class, () -> a.merge(b));
      assertEquals(Status.ERROR_SCHEMA_MISMATCH, e.status());
      assertThrows(IllegalArgumentException.class, () -> a.merge(a));
    }
  }

  @Test
  void roundedValuesOfADecimalMeasure() {
    try (Schema s = Schema.builder().measure(MeasureDefinition.decimal("hours", 1).offGrid(OffGrid.ROUND)).build();
         Aggregator a = new Aggregator(s)) {
      a.add(new int[] {2}, null, new double[] {1.25});
      a.add(new int[] {2}, null, new double[] {1.5});
      assertEquals(1, a.roundedValues(0));
      try (Table t = a.total()) {
        assertEquals(1.2 + 1.5, t.numeric(0, 0).sum(), 1e-12, "1.25 rounded to 1.2, ties to even");
      }
      assertThrows(JamstatException.class, () -> a.roundedValues(1));
    }
  }
}
