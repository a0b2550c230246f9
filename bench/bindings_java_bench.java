// The Java binding's speed against the C ABI's own (bench/bindings_java.sh runs it; not a test).
// Single-file program: java -cp jamstat.jar:jna.jar -Djamstat.library=... bench/bindings_java_bench.java DIR [REPS]
// DIR holds the raw columns of `jamstat generate N DIR`. Prints "JAVA <phase> <value>" lines, each
// the median of REPS runs after one warm-up run: seconds for the bulk phases, microseconds per
// record for the per-record ones.
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import se.jamstat.Aggregator;
import se.jamstat.AggregatorOptions;
import se.jamstat.Column;
import se.jamstat.ColumnType;
import se.jamstat.MeasureDefinition;
import se.jamstat.Schema;

public class bindings_java_bench {
  static final String[] CODES = {"sex", "age_band", "birth_region", "education", "intervention"};
  static final byte[] KEY = new byte[16];

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Arrays.fill(KEY, (byte) 7);
    List<byte[]> u8 = new ArrayList<>();
    for (String name : new String[] {"sex", "age_band", "birth_region", "education", "intervention", "outcome"}) {
      u8.add(Files.readAllBytes(dir.resolve(name + ".u8")));
    }
    int rows = u8.get(0).length;
    ByteBuffer hoursFile = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("hours.f64"))).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer personFile = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("person_id.u32"))).order(ByteOrder.LITTLE_ENDIAN);
    double[] hours = new double[rows];
    hoursFile.asDoubleBuffer().get(hours);
    int[] persons = new int[rows];
    personFile.asIntBuffer().get(persons);

    // The same columns in direct buffers (what a caller filling native memory itself would have).
    List<ByteBuffer> directU8 = new ArrayList<>();
    for (byte[] b : u8) {
      directU8.add(ByteBuffer.allocateDirect(rows).order(ByteOrder.nativeOrder()).put(b).flip());
    }
    ByteBuffer directHours = Column.allocateDirect(ColumnType.F64, rows);
    directHours.asDoubleBuffer().put(hours);
    ByteBuffer directPersons = Column.allocateDirect(ColumnType.U32, rows);
    directPersons.asIntBuffer().put(persons);

    try (Schema schema = schema()) {
      System.out.println("JAVA rows " + rows);
      System.out.printf("JAVA add_arrays_heap %.4f%n", median(reps, () -> bulk(schema, heap(u8, hours, null), rows, false)));
      System.out.printf("JAVA add_arrays_direct %.4f%n", median(reps, () -> bulk(schema, direct(directU8, directHours, null), rows, false)));
      System.out.printf("JAVA add_arrays_persons_heap %.4f%n", median(reps, () -> bulk(schema, heap(u8, hours, persons), rows, true)));
      System.out.printf("JAVA add_arrays_persons_direct %.4f%n",
                        median(reps, () -> bulk(schema, direct(directU8, directHours, directPersons), rows, true)));
      int recordRows = Math.min(rows, 2_000_000);
      System.out.printf("JAVA add_record_us %.4f%n", median(reps, () -> records(schema, u8, hours, null, recordRows)) * 1e6 / recordRows);
      System.out.printf("JAVA add_record_person_us %.4f%n", median(reps, () -> records(schema, u8, hours, persons, recordRows)) * 1e6 / recordRows);
    }
  }

  interface Phase {
    double run();
  }

  static double median(int reps, Phase phase) {
    phase.run();  // warm-up: JIT, first touch of the library's tables
    double[] t = new double[reps];
    for (int r = 0; r < reps; ++r) {
      t[r] = phase.run();
    }
    Arrays.sort(t);
    return t[reps / 2];
  }

  static List<Column> heap(List<byte[]> u8, double[] hours, int[] persons) {
    List<Column> c = new ArrayList<>();
    for (byte[] b : u8) {
      c.add(Column.u8(b));
    }
    c.add(Column.f64(hours));
    if (persons != null) {
      c.add(Column.u32(persons));
    }
    return c;
  }

  static List<Column> direct(List<ByteBuffer> u8, ByteBuffer hours, ByteBuffer persons) {
    List<Column> c = new ArrayList<>();
    for (ByteBuffer b : u8) {
      c.add(Column.of(ColumnType.U8, b));
    }
    c.add(Column.of(ColumnType.F64, hours));
    if (persons != null) {
      c.add(Column.of(ColumnType.U32, persons));
    }
    return c;
  }

  static double bulk(Schema schema, List<Column> columns, int rows, boolean countPersons) {
    AggregatorOptions o = countPersons ? AggregatorOptions.defaults().countPersons(KEY) : AggregatorOptions.defaults();
    try (Aggregator a = new Aggregator(schema, o)) {
      long t0 = System.nanoTime();
      a.addColumns(rows, columns, 0);
      double t = (System.nanoTime() - t0) * 1e-9;
      if (a.participations() != rows) {
        throw new AssertionError("participations " + a.participations());
      }
      return t;
    }
  }

  static double records(Schema schema, List<byte[]> u8, double[] hours, int[] persons, int rows) {
    AggregatorOptions o = persons != null ? AggregatorOptions.defaults().countPersons(KEY) : AggregatorOptions.defaults();
    try (Aggregator a = new Aggregator(schema, o)) {
      int[] codes = new int[5];
      int[] outcome = new int[1];
      double[] h = new double[1];
      byte[] sex = u8.get(0), age = u8.get(1), region = u8.get(2), education = u8.get(3), intervention = u8.get(4), out = u8.get(5);
      long t0 = System.nanoTime();
      for (int i = 0; i < rows; ++i) {
        codes[0] = sex[i];
        codes[1] = age[i];
        codes[2] = region[i];
        codes[3] = education[i];
        codes[4] = intervention[i];
        outcome[0] = out[i];
        h[0] = hours[i];
        if (persons != null) {
          a.add(codes, outcome, h, Integer.toUnsignedLong(persons[i]));
        } else {
          a.add(codes, outcome, h);
        }
      }
      return (System.nanoTime() - t0) * 1e-9;
    }
  }

  static Schema schema() {
    Schema.Builder b = Schema.builder();
    int[] levels = {6, 3, 4, 12};
    for (int d = 0; d < 4; ++d) {
      int[] codes = new int[levels[d]];
      String[] labels = new String[levels[d]];
      for (int l = 0; l < levels[d]; ++l) {
        codes[l] = l;
        labels[l] = "l" + l;
      }
      b.dimension(CODES[d + 1], codes, labels, labels);
    }
    return b.outcome("in_work_or_studies")
        .measure(MeasureDefinition.decimal("hours", 2).unit("h").range(0, 99999.99))
        .build();
  }
}
