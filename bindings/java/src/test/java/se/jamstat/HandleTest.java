package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handles: closing, use after close, the cleaner's safety net, and one aggregator shared by threads. */
class HandleTest {
  @Test
  void closeIsIdempotentAndAClosedHandleIsNeverPassedToC() {
    Schema s = Fixtures.schema();
    Aggregator a = new Aggregator(s);
    s.close();
    assertTrue(s.isClosed());
    s.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, s::fingerprint);
    assertTrue(e.getMessage().contains("schema is closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> new Aggregator(s));
    // the aggregator keeps its own reference to the schema
    a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 2});
    try (Schema again = a.schema()) {
      assertEquals("intervention", again.dimensionName(1));
    }
    Table t = a.total();
    a.close();
    assertTrue(a.isClosed());
    assertThrows(IllegalStateException.class, a::participations);
    assertThrows(IllegalStateException.class, () -> a.add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 2}));
    assertEquals(1, t.counts(0).participations(), "the table outlives the aggregator");
    t.close();
    assertThrows(IllegalStateException.class, t::cellCount);
  }

  @Test
  void theCleanerFreesHandlesThatWereNotClosed() throws InterruptedException {
    long before = NativeHandle.FREED_UNCLOSED.get();
    try (Schema s = Fixtures.schema()) {
      for (int i = 0; i < 50; ++i) {
        new Aggregator(s).add(new int[] {2, 1, 10}, new int[] {1}, new double[] {1, 2});  // never closed
      }
    }
    for (int i = 0; i < 100 && NativeHandle.FREED_UNCLOSED.get() - before < 50; ++i) {
      System.gc();
      Thread.sleep(20);
    }
    assertTrue(NativeHandle.FREED_UNCLOSED.get() - before >= 50, "freed unclosed: " + (NativeHandle.FREED_UNCLOSED.get() - before));
  }

  @Test
  void closedHandlesAreNotCountedAsLeaks() {
    long before = NativeHandle.FREED_UNCLOSED.get();
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s); Table t = a.total()) {
      assertEquals(1, t.cellCount());
    }
    assertEquals(before, NativeHandle.FREED_UNCLOSED.get());
  }

  @Test
  void oneAggregatorSharedByThreads() throws InterruptedException {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new ArrayList<>();
      for (int t = 0; t < 4; ++t) {
        final int sex = t % 2 == 0 ? 2 : 1;
        Fixtures.Records r = new Fixtures.Records(2000, 40 + t);
        Thread thread = new Thread(() -> {
          try {
            for (int i = 0; i < 2000; ++i) {
              a.add(new int[] {sex, 1, 10}, new int[] {1}, new double[] {1, 2});
            }
            a.addColumns(r.n, Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork),
                         Column.f64(r.hours), Column.f64(r.cost));
          } catch (Throwable e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertEquals(List.of(), failures);
      assertEquals(4 * 4000, a.participations());
    }
  }

  @Test
  void parallelIngestionThenMerge() throws InterruptedException {
    Fixtures.Records r = new Fixtures.Records(8000, 50);
    try (Schema s = Fixtures.schema(); Aggregator whole = new Aggregator(s); Aggregator left = new Aggregator(s);
         Aggregator right = new Aggregator(s)) {
      whole.addColumns(r.n, Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork),
                       Column.f64(r.hours), Column.f64(r.cost));
      Thread t1 = new Thread(() -> {
        for (int i = 0; i < 4000; ++i) {
          left.add(r.codes(i), new int[] {r.inWork[i]}, new double[] {r.hours[i], r.cost[i]});
        }
      });
      Thread t2 = new Thread(() -> {
        for (int i = 4000; i < 8000; ++i) {
          right.add(r.codes(i), new int[] {r.inWork[i]}, new double[] {r.hours[i], r.cost[i]});
        }
      });
      t1.start();
      t2.start();
      t1.join();
      t2.join();
      left.merge(right);
      try (Table x = whole.rollup("intervention"); Table y = left.rollup("intervention")) {
        assertArrayEquals(x.export().participations(), y.export().participations());
        assertArrayEquals(x.export().measure(0).sum(), y.export().measure(0).sum());
      }
    }
  }
}
