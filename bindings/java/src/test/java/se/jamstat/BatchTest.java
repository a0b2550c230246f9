package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Column-wise adds: every column type and source, pieces vs one call, and every bad row. */
class BatchTest {
  private final long defaultChunk = Aggregator.chunkRows;

  @AfterEach
  void restoreChunk() {
    Aggregator.chunkRows = defaultChunk;
  }

  /** The same records one at a time: the reference state. */
  private static byte[] oneAtATime(Schema s, Fixtures.Records r, AggregatorOptions o) {
    try (Aggregator a = new Aggregator(s, o)) {
      for (int i = 0; i < r.n; ++i) {
        if (o.countsPersons()) {
          a.add(r.codes(i), new int[] {r.inWork[i]}, new double[] {r.hours[i], r.cost[i]}, Integer.toUnsignedLong(r.person[i]));
        } else {
          a.add(r.codes(i), new int[] {r.inWork[i]}, new double[] {r.hours[i], r.cost[i]});
        }
      }
      return a.serialize();
    }
  }

  private static List<Column> heapColumns(Fixtures.Records r) {
    return Arrays.asList(Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork),
                         Column.f64(r.hours), Column.f64(r.cost));
  }

  /** sex, intervention; in_work; hours decimal(2): a schema whose large batches of arrays are added in pieces. */
  private static Schema decimalSchema() {
    return Schema.builder()
        .dimension("intervention", Fixtures.INTERVENTION_CODES, Fixtures.INTERVENTION_SV, Fixtures.INTERVENTION_EN)
        .outcome("in_work")
        .measure(MeasureDefinition.decimal("hours", 2).range(0, 10000))
        .build();
  }

  private static List<Column> decimalColumns(Fixtures.Records r) {
    return Arrays.asList(Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.inWork), Column.f64(r.hours));
  }

  @Test
  void arraysInOneCallEqualRecordsOneAtATime() {
    Fixtures.Records r = new Fixtures.Records(3000, 5);
    try (Schema s = Fixtures.schema()) {
      byte[] expected = oneAtATime(s, r, AggregatorOptions.defaults());
      try (Aggregator a = new Aggregator(s)) {
        BatchResult b = a.addColumns(r.n, heapColumns(r), 10);
        assertEquals(r.n, b.accepted());
        assertEquals(0, b.rejected());
        assertEquals(-1, b.firstRejectedRow());
        assertEquals("", b.firstRejectedMessage());
        assertEquals(0, b.rowErrorCount());
        assertArrayEquals(expected, a.serialize(), "the same state, byte for byte");
      }
    }
  }

  @Test
  void everyColumnTypeAndSource() {
    Fixtures.Records r = new Fixtures.Records(1500, 6);
    try (Schema s = Fixtures.schema()) {
      AggregatorOptions persons = AggregatorOptions.defaults().countPersons(Fixtures.KEY);
      byte[] expected = oneAtATime(s, r, persons);
      int n = r.n;
      short[] sex16 = new short[n];
      int[] intervention32 = new int[n];
      int[] inWork32 = new int[n];
      float[] cost32 = new float[n];
      long[] person64 = new long[n];
      byte[][] personBytes = new byte[n][];
      for (int i = 0; i < n; ++i) {
        sex16[i] = r.sex[i];
        intervention32[i] = r.intervention[i];
        inWork32[i] = r.inWork[i];
        cost32[i] = (float) r.cost[i];
        person64[i] = Integer.toUnsignedLong(r.person[i]);
        personBytes[i] = new byte[8];
        ByteBuffer.wrap(personBytes[i]).order(ByteOrder.LITTLE_ENDIAN).putLong(person64[i]);
      }
      // the cost values are multiples of 1/8 below 2^17: exact in a float too
      List<List<Column>> variants = new ArrayList<>();
      variants.add(Arrays.asList(Column.u16(sex16), Column.i32(intervention32), Column.u8(r.age), Column.i32(inWork32),
                                 Column.i64(r.hoursCents), Column.f32(cost32), Column.u32(r.person)));
      variants.add(Arrays.asList(Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork),
                                 Column.f64(r.hours), Column.f64(r.cost), Column.u64(person64)));
      // person ids as bytes hash like the integers' 8 little-endian bytes
      variants.add(Arrays.asList(Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork),
                                 Column.f64(r.hours), Column.f64(r.cost), Column.personIds(personBytes)));
      // direct buffers and JNA memory: zero copy
      ByteBuffer sexDirect = ByteBuffer.allocateDirect(n).put(r.sex).flip();
      ByteBuffer hoursDirect = Column.allocateDirect(ColumnType.F64, n);
      hoursDirect.asDoubleBuffer().put(r.hours);
      IntBuffer personDirect = Column.allocateDirect(ColumnType.U32, n).asIntBuffer().put(r.person).flip();
      Memory interventionMemory = new Memory(n);
      interventionMemory.write(0, r.intervention, 0, n);
      DoubleBuffer costHeap = DoubleBuffer.wrap(r.cost);
      variants.add(Arrays.asList(Column.of(ColumnType.U8, sexDirect), Column.of(ColumnType.U8, interventionMemory, n),
                                 Column.of(ColumnType.U8, ByteBuffer.wrap(r.age)), Column.u8(r.inWork),
                                 Column.of(ColumnType.F64, hoursDirect), Column.of(ColumnType.F64, costHeap),
                                 Column.of(ColumnType.U32, personDirect)));
      for (int v = 0; v < variants.size(); ++v) {
        try (Aggregator a = new Aggregator(s, persons)) {
          assertEquals(n, a.addColumns(n, variants.get(v), 0).accepted());
          assertArrayEquals(expected, a.serialize(), "variant " + v);
        }
      }
      assertTrue(variants.get(3).get(0).isNative());
      assertFalse(variants.get(3).get(2).isNative(), "a heap buffer is copied");
    }
  }

  @Test
  void slicesOfArraysAndBuffers() {
    Fixtures.Records r = new Fixtures.Records(1000, 8);
    int from = 300;
    int n = 500;
    try (Schema s = Fixtures.schema(); Aggregator whole = new Aggregator(s); Aggregator slice = new Aggregator(s)) {
      for (int i = from; i < from + n; ++i) {
        whole.add(r.codes(i), new int[] {r.inWork[i]}, new double[] {r.hours[i], r.cost[i]});
      }
      ByteBuffer direct = ByteBuffer.allocateDirect(r.n).put(r.intervention);
      direct.position(from).limit(from + n);
      ByteBuffer hours = Column.allocateDirect(ColumnType.F64, r.n);
      hours.asDoubleBuffer().put(r.hours);
      hours.position(8 * from).limit(8 * (from + n));
      slice.addColumns(n, Column.of(ColumnType.U8, ByteBuffer.wrap(r.sex, from, n)), Column.of(ColumnType.U8, direct),
                       Column.of(ColumnType.U8, ByteBuffer.wrap(r.age, from, n)), Column.of(ColumnType.U8, ByteBuffer.wrap(r.inWork, from, n)),
                       Column.of(ColumnType.F64, hours), Column.of(ColumnType.F64, DoubleBuffer.wrap(r.cost, from, n)));
      assertArrayEquals(whole.serialize(), slice.serialize());
    }
  }

  @Test
  void piecesGiveTheStateOfOneCall() {
    Fixtures.Records r = new Fixtures.Records(10_000, 9);
    try (Schema s = decimalSchema()) {
      byte[] one;
      Aggregator.chunkRows = 0;  // off: one call
      try (Aggregator a = new Aggregator(s)) {
        a.addAnonymous(2, 3);
        a.addColumns(r.n, decimalColumns(r), 0);
        assertEquals(0, a.lastPieces);
        one = a.serialize();
      }
      Aggregator.chunkRows = 1024;  // 10 pieces, the last one short, merged into what is already there
      try (Aggregator a = new Aggregator(s)) {
        a.addAnonymous(2, 3);
        BatchResult b = a.addColumns(r.n, decimalColumns(r), 0);
        assertEquals(10, a.lastPieces);
        assertEquals(r.n, b.accepted());
        assertEquals(r.n, a.participations());
        assertArrayEquals(one, a.serialize(), "decimal sums are exact: the state of one call, byte for byte");
      }
    }
  }

  @Test
  void floatingMeasuresAndPersonsAreAddedInOneCall() {
    Fixtures.Records r = new Fixtures.Records(3000, 19);
    Aggregator.chunkRows = 256;
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s);
         Aggregator p = new Aggregator(s, AggregatorOptions.defaults().countPersons(Fixtures.KEY))) {
      a.addColumns(r.n, heapColumns(r), 0);
      assertEquals(0, a.lastPieces, "a floating measure: one call, so its variance is rounded as one call rounds it");
      assertArrayEquals(oneAtATime(s, r, AggregatorOptions.defaults()), a.serialize());
      List<Column> withPersons = new ArrayList<>(heapColumns(r));
      withPersons.add(Column.u32(r.person));
      p.addColumns(r.n, withPersons, 0);
      assertEquals(0, p.lastPieces);
      p.addColumns(r.n, withPersons, 0);  // the thread's kept buffers are reused
      assertEquals(2L * r.n, p.participations());
      Aggregator.releaseBuffers();
      p.addColumns(r.n, withPersons, 0);
      assertEquals(3L * r.n, p.participations());
    }
  }

  @Test
  void everyBadRowOfARejectedBatchIsReportedAndNothingIsAdded() {
    for (long chunk : new long[] {0, 512}) {
      Aggregator.chunkRows = chunk;
      Fixtures.Records r = new Fixtures.Records(4000, 10);
      int[] bad = {7, 700, 2500, 3999};
      r.sex[bad[0]] = 4;
      r.intervention[bad[1]] = 9;
      r.hoursCents[bad[2]] = 1;
      r.hours[bad[2]] = 10000.5;
      r.inWork[bad[3]] = 3;
      try (Schema s = decimalSchema(); Aggregator a = new Aggregator(s)) {
        a.add(new int[] {1, 1}, new int[] {1}, new double[] {1});
        JamstatException e = assertThrows(JamstatException.class, () -> a.addColumns(r.n, decimalColumns(r), 3));
        assertEquals(Status.ERROR_BAD_RECORD, e.status());
        assertEquals(7, e.row(), "the first bad row, numbered within the batch");
        assertEquals("sex", e.fieldName());
        assertEquals(RejectionReason.SEX_NOT_ISO5218, e.reason());
        assertTrue(e.getMessage().contains("7"), e.getMessage());
        assertEquals(4, e.rowErrorCount(), "every bad row is counted");
        assertEquals(3, e.rowErrors().size(), "up to the capacity");
        assertEquals(new RowError(7, 0, "sex", RejectionReason.SEX_NOT_ISO5218.code()), e.rowErrors().get(0));
        assertEquals(700, e.rowErrors().get(1).row());
        assertEquals("intervention", e.rowErrors().get(1).fieldName());
        assertEquals(RejectionReason.CODE_UNKNOWN, e.rowErrors().get(1).reason());
        assertEquals(2500, e.rowErrors().get(2).row());
        assertEquals(RejectionReason.MEASURE_OUT_OF_RANGE, e.rowErrors().get(2).reason());
        assertEquals(1, a.participations(), "the state is unchanged (chunk " + chunk + ")");
      }
    }
  }

  @Test
  void badRowsOfATalliedBatchAreSkippedCountedAndReported() {
    for (long chunk : new long[] {0, 512}) {
      Aggregator.chunkRows = chunk;
      Fixtures.Records r = new Fixtures.Records(3000, 12);
      r.sex[1500] = -1;  // 255 as an unsigned byte
      r.intervention[2999] = 0;
      try (Schema s = decimalSchema();
           Aggregator a = new Aggregator(s, AggregatorOptions.defaults().policy(BadRecordPolicy.TALLY))) {
        BatchResult b = a.addColumns(r.n, decimalColumns(r), 10);
        assertEquals(2998, b.accepted());
        assertEquals(2, b.rejected());
        assertEquals(1500, b.firstRejectedRow(), "numbered within the batch, not within a piece");
        assertEquals("sex", b.firstRejectedFieldName());
        assertEquals(RejectionReason.SEX_NOT_ISO5218, b.firstRejectedReason());
        assertTrue(b.firstRejectedMessage().contains("1500") && b.firstRejectedMessage().contains("255"), b.firstRejectedMessage());
        assertEquals(2, b.rowErrorCount());
        assertEquals(List.of(new RowError(1500, 0, "sex", 1), new RowError(2999, 1, "intervention", 3)), b.rowErrors());
        assertEquals(2998, a.participations());
        assertEquals(2, a.rejected());
        assertEquals(1, a.rejected(RejectionReason.CODE_UNKNOWN, 1));
      }
    }
  }

  @Test
  void aShortColumnIsAnErrorNotARead() {
    Fixtures.Records r = new Fixtures.Records(100, 13);
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      List<Column> c = new ArrayList<>(heapColumns(r));
      c.set(4, Column.f64(Arrays.copyOf(r.hours, 99)));
      JamstatException e = assertThrows(JamstatException.class, () -> a.addColumns(100, c, 0));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("99"), e.getMessage());
      c.set(4, Column.of(ColumnType.F64, new Memory(8 * 50), 50));
      e = assertThrows(JamstatException.class, () -> a.addColumns(100, c, 0));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      e = assertThrows(JamstatException.class, () -> a.addColumns(100, heapColumns(r).subList(0, 5).toArray(new Column[0])));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status(), "a column missing");
      c.set(4, Column.i32(new int[100]));
      e = assertThrows(JamstatException.class, () -> a.addColumns(100, c, 0));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status(), "I32 is not a measure type");
      assertEquals(0, a.participations());
    }
  }

  @Test
  void buffersMustBeInNativeOrderAndAligned() {
    ByteBuffer big = ByteBuffer.allocateDirect(80).order(ByteOrder.BIG_ENDIAN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Column.of(ColumnType.F64, big));
    assertTrue(e.getMessage().contains("nativeOrder"), e.getMessage());
    ByteBuffer odd = ByteBuffer.allocateDirect(81).order(ByteOrder.nativeOrder());
    odd.position(1);
    assertThrows(IllegalArgumentException.class, () -> Column.of(ColumnType.F64, odd), "misaligned");
    ByteBuffer ragged = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
    assertThrows(IllegalArgumentException.class, () -> Column.of(ColumnType.F64, ragged), "not whole values");
    assertThrows(IllegalArgumentException.class, () -> Column.of(ColumnType.F64, IntBuffer.allocate(4)), "an int buffer for doubles");
    assertEquals(10, Column.of(ColumnType.F64, ByteBuffer.allocateDirect(80).order(ByteOrder.nativeOrder())).length());
    assertEquals(10, Column.of(ColumnType.U8, ByteBuffer.allocateDirect(10).order(ByteOrder.BIG_ENDIAN)).length(), "bytes have no order");
  }

  @Test
  void namedColumnsInAnyOrder() {
    Fixtures.Records r = new Fixtures.Records(800, 14);
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s, AggregatorOptions.defaults().countPersons(Fixtures.KEY));
         Aggregator b = new Aggregator(s, AggregatorOptions.defaults().countPersons(Fixtures.KEY))) {
      a.add(new Batch(r.n).column("hours", Column.f64(r.hours)).column("Cost", Column.f64(r.cost))
                .column("person_id", Column.u32(r.person)).column("sex", Column.u8(r.sex)).column("in_work", Column.u8(r.inWork))
                .column("age_band", Column.u8(r.age)).column("intervention", Column.u8(r.intervention)));
      b.addColumns(r.n, Column.u8(r.sex), Column.u8(r.intervention), Column.u8(r.age), Column.u8(r.inWork), Column.f64(r.hours),
                   Column.f64(r.cost), Column.u32(r.person));
      assertArrayEquals(b.serialize(), a.serialize());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                () -> a.add(new Batch(r.n).column("sex", Column.u8(r.sex)).column("region", Column.u8(r.age))));
      assertTrue(e.getMessage().contains("missing: intervention") && e.getMessage().contains("region"), e.getMessage());
    }
  }

  @Test
  void emptyBatch() {
    try (Schema s = Fixtures.schema(); Aggregator a = new Aggregator(s)) {
      BatchResult b = a.addColumns(0, Column.u8(new byte[0]), Column.u8(new byte[0]), Column.u8(new byte[0]), Column.u8(new byte[0]),
                                   Column.f64(new double[0]), Column.f64(new double[0]));
      assertEquals(0, b.accepted());
      assertEquals(0, a.participations());
    }
  }
}
