package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import se.jamstat.abi.JamstatAbi;
import se.jamstat.abi.JamstatStructs.jamstat_aggregator_options;
import se.jamstat.abi.JamstatStructs.jamstat_array;
import se.jamstat.abi.JamstatStructs.jamstat_batch_result;
import se.jamstat.abi.JamstatStructs.jamstat_person_id;
import se.jamstat.abi.JamstatStructs.jamstat_row_error;

/**
 * Aggregates participation records into sex-disaggregated cells: one record at a time
 * ({@link #add}), or column-wise in bulk ({@link #addColumns}, {@link #add(Batch)}); anonymous
 * participants known only by sex; merges of other aggregators' states; and roll-ups, the total,
 * the cube, the gap report and the serialized state.
 *
 * <p>Close it when done (try-with-resources). It is safe to share between threads (calls are
 * serialized on the aggregator), but the fast way to ingest in parallel is one aggregator per
 * thread, then {@link #merge}.
 */
public final class Aggregator extends NativeHandle {
  /** Rows per piece when Java arrays are copied to native memory in pieces (see {@link #addColumns}). */
  static volatile long chunkRows = Long.getLong("se.jamstat.chunkRows", 1L << 21);

  private final AggregatorOptions options;
  private final String[] fieldNames;
  private final int dimensionCount;
  private final int outcomeCount;
  private final int numericCount;
  private final boolean onlyDecimalMeasures;
  /** Pieces the last batch was added in (0: one call); for tests. */
  long lastPieces;

  // One record's arguments in native memory, reused by every add (the calls are synchronized):
  // the codes, outcomes and numerics, a jamstat_person_id, the `accepted` flag, and the person
  // id's bytes. Written through a direct ByteBuffer (plain Java stores) and passed as pointers,
  // so a record costs one JNI call and no allocation.
  private final ByteBuffer record;
  private final Pointer codesAt;
  private final Pointer outcomesAt;
  private final Pointer numericsAt;
  private final Pointer personAt;
  private final Pointer acceptedAt;
  private final int personOffset;
  private final int acceptedOffset;
  private ByteBuffer personBytes;
  private Pointer personBytesAt;
  // Native copies of whole Java-array columns, one per column position, per thread and shared by
  // all aggregators, kept for the next batch: fresh native memory costs a page fault per 4 KiB on
  // first touch, which costs far more than the copy (10M rows of six u8, one f64 and one u32
  // column: 0.6 s into fresh memory, 0.015 s into warm memory, on the machine of
  // bench/bindings_java.sh). Kept up to keepBufferBytes per thread (se.jamstat.keepBufferBytes,
  // default 512 MiB; larger copies are freed after their batch); releaseBuffers() frees them.
  static volatile long keepBufferBytes = Long.getLong("se.jamstat.keepBufferBytes", 512L << 20);
  private static final ThreadLocal<Memory[]> STAGING = ThreadLocal.withInitial(() -> new Memory[0]);
  // The pieces' buffers (chunkRows values per column), per thread in the same way: bounded, and
  // warm for the next batch even into a new aggregator.
  private static final ThreadLocal<Memory[]> PIECES = ThreadLocal.withInitial(() -> new Memory[0]);
  private static final ThreadLocal<Memory[]> PIECES_NEXT = ThreadLocal.withInitial(() -> new Memory[0]);
  // Copies the next piece while the library adds the current one (daemon threads, idle ones end).
  private static final ExecutorService COPIER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jamstat-copier");
    t.setDaemon(true);
    return t;
  });

  /** A new aggregator for `schema` with the default options (bad records rejected, persons not counted). */
  public Aggregator(Schema schema) {
    this(schema, AggregatorOptions.defaults());
  }

  /** A new aggregator for `schema`. */
  public Aggregator(Schema schema, AggregatorOptions options) {
    this(create(schema, options), options);
  }

  private Aggregator(Pointer handle, AggregatorOptions options) {
    super(handle, h -> jamstat_aggregator_free(h), "aggregator");
    try {
      this.options = options == null ? AggregatorOptions.defaults() : options;
      try (Schema s = schemaOf(handle)) {
        fieldNames = s.fieldNameArray();
        dimensionCount = s.dimensionCount();
        outcomeCount = s.outcomeCount();
        numericCount = s.numericCount();
        boolean decimal = true;
        for (int m = 0; m < numericCount; ++m) {
          decimal &= s.measure(m).kind() == MeasureKind.DECIMAL;
        }
        onlyDecimalMeasures = decimal;
      }
      int numerics = align8(4 * (dimensionCount + outcomeCount));
      personOffset = align8(numerics + 8 * numericCount);
      acceptedOffset = personOffset + jamstat_person_id.SIZE;
      record = ByteBuffer.allocateDirect(acceptedOffset + 8).order(ByteOrder.nativeOrder());
      Pointer base = Native.getDirectBufferPointer(record);
      codesAt = base;
      outcomesAt = base.share(4L * dimensionCount);
      numericsAt = base.share(numerics);
      personAt = base.share(personOffset);
      acceptedAt = base.share(acceptedOffset);
      growPersonBytes(64);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private static Pointer create(Schema schema, AggregatorOptions options) {
    Objects.requireNonNull(schema, "schema");
    synchronized (schema) {
      try (Memory o = optionsMemory(options); Memory slot = new Memory(Native.POINTER_SIZE)) {
        slot.setPointer(0, null);
        Jamstat.check(jamstat_aggregator_new(schema.handle(), o, slot));
        return slot.getPointer(0);
      } finally {
        Reference.reachabilityFence(schema);
      }
    }
  }

  /**
   * Reads a serialized state (docs/state-format.md) into a new aggregator. `options` (may be
   * null) applies to later adds; to add more records to a state that counts persons, give the
   * same person key (checked); without it the state can be merged and queried only.
   */
  public static Aggregator deserialize(byte[] state, AggregatorOptions options) {
    Objects.requireNonNull(state, "state");
    try (Memory bytes = Column.memory(state.length)) {
      bytes.write(0, state, 0, state.length);
      return deserialize(bytes, state.length, options);
    }
  }

  /** Reads a serialized state from a buffer's remaining bytes (a direct buffer is read in place). */
  public static Aggregator deserialize(ByteBuffer state, AggregatorOptions options) {
    Objects.requireNonNull(state, "state");
    if (state.isDirect()) {
      try {
        return deserialize(Native.getDirectBufferPointer(state).share(state.position()), state.remaining(), options);
      } finally {
        Reference.reachabilityFence(state);
      }
    }
    byte[] copy = new byte[state.remaining()];
    state.duplicate().get(copy);
    return deserialize(copy, options);
  }

  private static Aggregator deserialize(Pointer bytes, long size, AggregatorOptions options) {
    try (Memory o = optionsMemory(options); Memory slot = new Memory(Native.POINTER_SIZE)) {
      slot.setPointer(0, null);
      Jamstat.check(jamstat_aggregator_deserialize(bytes, size, options == null ? null : o, slot));
      return new Aggregator(slot.getPointer(0), options);
    }
  }

  private static Memory optionsMemory(AggregatorOptions options) {
    AggregatorOptions o = options == null ? AggregatorOptions.defaults() : options;
    Memory m = new Memory(jamstat_aggregator_options.SIZE);
    jamstat_aggregator_options.init(m, 0);
    m.setInt(jamstat_aggregator_options.on_bad_record, o.policy().code());
    if (o.countsPersons()) {
      m.setInt(jamstat_aggregator_options.count_persons, 1);
      byte[] key = o.personKeyShared();
      m.write(jamstat_aggregator_options.person_key, key, 0, key.length);
    }
    return m;
  }

  private static Schema schemaOf(Pointer aggregator) {
    try (Memory slot = new Memory(Native.POINTER_SIZE)) {
      slot.setPointer(0, null);
      Jamstat.check(jamstat_aggregator_schema(aggregator, slot));
      return new Schema(slot.getPointer(0));
    }
  }

  /** The aggregator's schema, as a new handle (close it). */
  public synchronized Schema schema() {
    try {
      return schemaOf(handle());
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The options this aggregator was made with. */
  public AggregatorOptions options() {
    return options;
  }

  /** The schema's field names, in field order (for locating errors). */
  public List<String> fieldNames() {
    return List.of(fieldNames);
  }

  // ------------------------------------------------------------------------------ one record

  /**
   * Adds one record: codes[d] per dimension (sex first, ISO/IEC 5218), outcomes[o] (0/1) per
   * outcome, numerics[m] (finite) per numeric measure; outcomes and numerics may be null when the
   * schema has none. For an aggregator that does not count persons.
   *
   * @return true if added; false if tallied as rejected (TALLY policy)
   * @throws JamstatException for a bad record under REJECT (with its field and reason), or wrong counts
   */
  public synchronized boolean add(int[] codes, int[] outcomes, double[] numerics) {
    return addRecord(codes, outcomes, numerics, JamstatAbi.JAMSTAT_PERSON_ID_NONE, 0, null);
  }

  /** Adds one record of a person identified by an integer (hashed as its 8 little-endian bytes). */
  public synchronized boolean add(int[] codes, int[] outcomes, double[] numerics, long personId) {
    return addRecord(codes, outcomes, numerics, JamstatAbi.JAMSTAT_PERSON_ID_INTEGER, personId, null);
  }

  /** Adds one record of a person identified by bytes (an empty array is a missing id). */
  public synchronized boolean add(int[] codes, int[] outcomes, double[] numerics, byte[] personId) {
    Objects.requireNonNull(personId, "personId");
    return addRecord(codes, outcomes, numerics, JamstatAbi.JAMSTAT_PERSON_ID_BYTES, 0, personId);
  }

  /** Adds one record of a person identified by text, hashed as its UTF-8 bytes ("" is a missing id). */
  public synchronized boolean add(int[] codes, int[] outcomes, double[] numerics, String personId) {
    Objects.requireNonNull(personId, "personId");
    return addRecord(codes, outcomes, numerics, JamstatAbi.JAMSTAT_PERSON_ID_BYTES, 0,
                     personId.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Adds one record of a person identified by a personnummer, hashed as its canonical 12 digits
   * ({@link Personnummer#personId()}): the same person whichever form the number was written in.
   */
  public synchronized boolean add(int[] codes, int[] outcomes, double[] numerics, Personnummer personId) {
    Objects.requireNonNull(personId, "personId");
    return addRecord(codes, outcomes, numerics, JamstatAbi.JAMSTAT_PERSON_ID_BYTES, 0, personId.personId());
  }

  private boolean addRecord(int[] codes, int[] outcomes, double[] numerics, int personKind, long personInteger,
                            byte[] personBytes) {
    Objects.requireNonNull(codes, "codes");
    int nc = codes.length;
    int no = outcomes == null ? 0 : outcomes.length;
    int nm = numerics == null ? 0 : numerics.length;
    Pointer h = handle();
    try {
      if (nc != dimensionCount || no != outcomeCount || nm != numericCount) {
        return addMismatched(h, codes, outcomes, numerics, personKind, personInteger, personBytes);
      }
      ByteBuffer r = record;
      for (int i = 0; i < nc; ++i) {
        r.putInt(4 * i, codes[i]);
      }
      int at = 4 * nc;
      for (int i = 0; i < no; ++i) {
        r.putInt(at + 4 * i, outcomes[i]);
      }
      at = align8(4 * (nc + no));
      for (int i = 0; i < nm; ++i) {
        r.putDouble(at + 8 * i, numerics[i]);
      }
      Pointer person = null;
      if (personKind != JamstatAbi.JAMSTAT_PERSON_ID_NONE) {
        writePerson(personKind, personInteger, personBytes);
        person = personAt;
      }
      r.putInt(acceptedOffset, 0);
      int status = jamstat_aggregator_add(h, codesAt, nc, outcomesAt, no, numericsAt, nm, person, acceptedAt);
      if (status != JamstatAbi.JAMSTAT_OK) {
        throw Jamstat.lastError(status, fieldNames, null, 0);
      }
      return r.getInt(acceptedOffset) != 0;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  private void writePerson(int kind, long integer, byte[] bytes) {
    ByteBuffer r = record;
    r.putInt(personOffset + (int) jamstat_person_id.kind, kind);
    r.putLong(personOffset + (int) jamstat_person_id.integer, integer);
    if (bytes != null && bytes.length > 0) {
      if (bytes.length > personBytes.capacity()) {
        growPersonBytes(bytes.length);
      }
      personBytesAt.write(0, bytes, 0, bytes.length);
      r.putLong(personOffset + (int) jamstat_person_id.bytes, Pointer.nativeValue(personBytesAt));
    } else {
      r.putLong(personOffset + (int) jamstat_person_id.bytes, 0L);
    }
    r.putLong(personOffset + (int) jamstat_person_id.length, bytes == null ? 0 : bytes.length);
  }

  private void growPersonBytes(int atLeast) {
    personBytes = ByteBuffer.allocateDirect(Math.max(atLeast, 2 * (personBytes == null ? 32 : personBytes.capacity())));
    personBytesAt = Native.getDirectBufferPointer(personBytes);
  }

  /** Counts that differ from the schema's: passed as given, so that the library reports them. */
  private boolean addMismatched(Pointer h, int[] codes, int[] outcomes, double[] numerics, int personKind,
                                long personInteger, byte[] personBytes) {
    int no = outcomes == null ? 0 : outcomes.length;
    int nm = numerics == null ? 0 : numerics.length;
    try (Memory c = Column.memory(4L * codes.length); Memory o = Column.memory(4L * no); Memory m = Column.memory(8L * nm);
         Memory accepted = new Memory(4)) {
      c.write(0, codes, 0, codes.length);
      if (no > 0) {
        o.write(0, outcomes, 0, no);
      }
      if (nm > 0) {
        m.write(0, numerics, 0, nm);
      }
      Pointer person = null;
      if (personKind != JamstatAbi.JAMSTAT_PERSON_ID_NONE) {
        writePerson(personKind, personInteger, personBytes);
        person = personAt;
      }
      accepted.setInt(0, 0);
      int status = jamstat_aggregator_add(h, c, codes.length, o, no, m, nm, person, accepted);
      if (status != JamstatAbi.JAMSTAT_OK) {
        throw Jamstat.lastError(status, fieldNames, null, 0);
      }
      return accepted.getInt(0) != 0;
    }
  }

  // ---------------------------------------------------------------------------------- batches

  /**
   * Adds a batch of `rows` rows given as columns in schema field order: one per dimension (sex
   * first), then one per outcome, then one per numeric measure, then the person ids when persons
   * are counted. Every column's length must equal `rows`. Reports up to
   * {@value Batch#DEFAULT_MAX_ROW_ERRORS} bad rows individually.
   *
   * <p>Under REJECT a bad row fails the whole batch with a {@link JamstatException} carrying every
   * bad row, and the state is unchanged; under TALLY bad rows are skipped, counted and reported in
   * the result.
   *
   * <p><b>Copies.</b> Columns over native memory (direct buffers, Pointers) are read in place: no
   * copy. Java arrays are copied to native memory (JNA cannot hand C a pointer into the Java heap).
   * When the batch is large, persons are not counted and every numeric measure is decimal, they are
   * copied in pieces of {@code se.jamstat.chunkRows} rows (default 2^21: each piece's add has a
   * fixed cost, and 2^18-row pieces cost a fifth of the speed on a quiet machine), each added to a
   * scratch aggregator that is merged into this one once every piece went
   * through: a REJECT batch stays all-or-nothing, and decimal sums are exact, so the state is byte
   * for byte that of one call. If any piece has a bad row, the scratch is discarded and the batch
   * is added again in one call, so that row numbers, messages and the tally are exactly those of
   * one call. Otherwise (persons counted: their sets make one call faster than many; floating
   * measures: a merge would round their variance differently) the arrays are copied whole into
   * native buffers that the calling thread keeps for its next batch (into any aggregator), up to
   * {@code se.jamstat.keepBufferBytes} (512 MiB), until {@link #releaseBuffers()}.
   */
  public BatchResult addColumns(long rows, Column... columns) {
    return addColumns(rows, Arrays.asList(columns), Batch.DEFAULT_MAX_ROW_ERRORS);
  }

  /** As {@link #addColumns(long, Column...)}, reporting up to `maxRowErrors` bad rows individually. */
  public synchronized BatchResult addColumns(long rows, List<Column> columns, int maxRowErrors) {
    Objects.requireNonNull(columns, "columns");
    if (rows < 0) {
      throw new IllegalArgumentException("rows " + rows + " is negative");
    }
    if (maxRowErrors < 0) {
      throw new IllegalArgumentException("maxRowErrors " + maxRowErrors + " is negative");
    }
    List<Column> cols = new ArrayList<>(columns);
    for (int i = 0; i < cols.size(); ++i) {
      Objects.requireNonNull(cols.get(i), "columns[" + i + "]");
    }
    Pointer h = handle();
    try {
      boolean allNative = true;
      boolean lengthsMatch = true;
      boolean bytes = false;
      for (Column c : cols) {
        allNative &= c.isNative();
        lengthsMatch &= c.length() == rows;
        bytes |= c.type() == ColumnType.BYTES;
      }
      long chunk = chunkRows;
      lastPieces = 0;
      if (!allNative && lengthsMatch && !bytes && !options.countsPersons() && onlyDecimalMeasures && chunk > 0 && rows >= 2 * chunk) {
        BatchResult r = addInPieces(h, rows, cols, chunk);
        if (r != null) {
          lastPieces = (rows + chunk - 1) / chunk;
          return r;
        }
      }
      return addWhole(h, rows, cols, maxRowErrors);
    } finally {
      Reference.reachabilityFence(this);
      Reference.reachabilityFence(cols);
    }
  }

  /** Adds a batch of named columns (see {@link Batch}). */
  public BatchResult add(Batch batch) {
    Objects.requireNonNull(batch, "batch");
    int count = options.countsPersons() ? fieldNames.length : fieldNames.length - 1;
    return addColumns(batch.rows(), batch.ordered(fieldNames, count), batch.maxRowErrors());
  }

  /** One add_arrays call with every column whole in native memory. */
  private BatchResult addWhole(Pointer h, long rows, List<Column> cols, int maxRowErrors) {
    int n = cols.size();
    try (Memory arrays = Column.memory((long) jamstat_array.SIZE * n);
         Memory result = new Memory(jamstat_batch_result.SIZE);
         Memory errors = Column.memory((long) jamstat_row_error.SIZE * maxRowErrors)) {
      for (int i = 0; i < n; ++i) {
        Column c = cols.get(i);
        Pointer data = c.address();
        if (!c.isNative()) {
          Memory m = buffer(STAGING, i, c.elementSize() * c.length() + c.extraBytes(0, c.length()));
          c.stage(m, 0, c.length());
          data = m;
        }
        writeArray(arrays, i, c.type(), data, c.length());
      }
      jamstat_batch_result.init(result, 0);
      result.setPointer(jamstat_batch_result.errors, maxRowErrors > 0 ? errors : null);
      result.setLong(jamstat_batch_result.error_capacity, maxRowErrors);
      int status = jamstat_aggregator_add_arrays(h, rows, n == 0 ? null : arrays, n, result);
      if (bytes(STAGING) > keepBufferBytes) {
        release(STAGING);
      }
      BatchResult r = batchResult(result, errors, maxRowErrors);
      if (status != JamstatAbi.JAMSTAT_OK) {
        throw Jamstat.lastError(status, fieldNames, r.rowErrors(), r.rowErrorCount());
      }
      return r;
    }
  }

  /**
   * Java arrays copied in cache-sized pieces into a scratch aggregator, merged when every piece
   * was clean; null when a piece had a bad row or failed (the caller then adds the batch whole).
   * The copy of piece k + 1 (by a copier thread, into the second of two buffer sets) overlaps the
   * library's add of piece k, so that the copy costs no time when a second core is free.
   */
  private BatchResult addInPieces(Pointer h, long rows, List<Column> cols, long chunk) {
    int n = cols.size();
    Memory[][] pieces = new Memory[2][n];
    Pointer scratch = null;
    Future<?> copying = null;
    try (Memory arrays = Column.memory((long) jamstat_array.SIZE * n);
         Memory result = new Memory(jamstat_batch_result.SIZE);
         Memory o = optionsMemory(options);
         Memory slot = new Memory(Native.POINTER_SIZE)) {
      try (Schema s = schemaOf(h)) {
        slot.setPointer(0, null);
        Jamstat.check(jamstat_aggregator_new(s.handle(), o, slot));
        scratch = slot.getPointer(0);
      }
      for (int i = 0; i < n; ++i) {
        if (!cols.get(i).isNative()) {
          long bytes = cols.get(i).elementSize() * chunk;
          pieces[0][i] = buffer(PIECES, i, bytes);
          pieces[1][i] = buffer(PIECES_NEXT, i, bytes);
        }
      }
      copying = stagePiece(cols, pieces[0], 0, Math.min(chunk, rows));
      for (long first = 0, k = 0; first < rows; first += chunk, ++k) {
        long count = Math.min(chunk, rows - first);
        await(copying);
        copying = null;
        Memory[] set = pieces[(int) (k & 1)];
        if (first + chunk < rows) {
          copying = stagePiece(cols, pieces[(int) ((k + 1) & 1)], first + chunk, Math.min(chunk, rows - first - chunk));
        }
        for (int i = 0; i < n; ++i) {
          Column c = cols.get(i);
          Pointer data = set[i] != null ? set[i] : c.address().share(first * c.elementSize());
          writeArray(arrays, i, c.type(), data, count);
        }
        jamstat_batch_result.init(result, 0);
        int status = jamstat_aggregator_add_arrays(scratch, count, arrays, n, result);
        if (status != JamstatAbi.JAMSTAT_OK || result.getLong(jamstat_batch_result.rejected) != 0) {
          return null;
        }
      }
      Jamstat.check(jamstat_aggregator_merge(h, scratch), fieldNames);
      return new BatchResult(rows, 0, -1, -1, null, -1, "", 0, List.of());
    } finally {
      if (copying != null) {
        await(copying);  // never leave a copy running into buffers the next batch reuses
      }
      if (scratch != null) {
        try (Memory slot = new Memory(Native.POINTER_SIZE)) {
          slot.setPointer(0, scratch);
          jamstat_aggregator_free(slot);
        }
      }
    }
  }

  /** Copies rows [first, first + count) of the Java-array columns into `set`, on a copier thread. */
  private static Future<?> stagePiece(List<Column> cols, Memory[] set, long first, long count) {
    return COPIER.submit(() -> {
      for (int i = 0; i < set.length; ++i) {
        if (set[i] != null) {
          cols.get(i).stage(set[i], first, count);
        }
      }
    });
  }

  private static void await(Future<?> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;  // the copy writes into this thread's buffers: wait for it anyway
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
          }
          if (cause instanceof Error) {
            throw (Error) cause;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** This thread's buffer of column position i in `buffers`, at least `bytes` long. */
  private static Memory buffer(ThreadLocal<Memory[]> buffers, int i, long bytes) {
    Memory[] b = buffers.get();
    if (i >= b.length) {
      b = Arrays.copyOf(b, i + 1);
      buffers.set(b);
    }
    Memory m = b[i];
    if (m == null || m.size() < bytes) {
      if (m != null) {
        m.close();
      }
      m = Column.memory(bytes);
      b[i] = m;
    }
    return m;
  }

  private static long bytes(ThreadLocal<Memory[]> buffers) {
    long total = 0;
    for (Memory m : buffers.get()) {
      total += m == null ? 0 : m.size();
    }
    return total;
  }

  private static void release(ThreadLocal<Memory[]> buffers) {
    for (Memory m : buffers.get()) {
      if (m != null) {
        m.close();
      }
    }
    buffers.set(new Memory[0]);
  }

  /**
   * Frees the calling thread's native buffers for copying Java arrays (kept for the next batch of
   * any aggregator on this thread, up to {@code se.jamstat.keepBufferBytes}; see {@link #addColumns}).
   * A thread's buffers are also freed once the thread has ended and they are collected.
   */
  public static void releaseBuffers() {
    release(STAGING);
    release(PIECES);
    release(PIECES_NEXT);
  }

  private static void writeArray(Memory arrays, int i, ColumnType type, Pointer data, long length) {
    long at = (long) jamstat_array.SIZE * i;
    arrays.setInt(at + jamstat_array.type, type.code());
    arrays.setInt(at + jamstat_array.flags, 0);
    arrays.setPointer(at + jamstat_array.data, data);
    arrays.setLong(at + jamstat_array.length, length);
  }

  private BatchResult batchResult(Memory result, Memory errors, int capacity) {
    long errorCount = result.getLong(jamstat_batch_result.error_count);
    int listed = (int) Math.min(errorCount, capacity);
    List<RowError> rowErrors = new ArrayList<>(listed);
    for (int i = 0; i < listed; ++i) {
      long at = (long) jamstat_row_error.SIZE * i;
      long field = errors.getLong(at + jamstat_row_error.field);
      rowErrors.add(new RowError(errors.getLong(at + jamstat_row_error.row), field, Jamstat.fieldName(fieldNames, field),
                                 errors.getInt(at + jamstat_row_error.reason)));
    }
    long firstField = result.getLong(jamstat_batch_result.first_rejected_field);
    byte[] message = result.getByteArray(jamstat_batch_result.first_rejected_message,
                                         jamstat_batch_result.first_rejected_message_LENGTH);
    int end = 0;
    while (end < message.length && message[end] != 0) {
      ++end;
    }
    return new BatchResult(result.getLong(jamstat_batch_result.accepted), result.getLong(jamstat_batch_result.rejected),
                           result.getLong(jamstat_batch_result.first_rejected_row), firstField,
                           Jamstat.fieldName(fieldNames, firstField), result.getInt(jamstat_batch_result.first_rejected_reason),
                           new String(message, 0, end, StandardCharsets.UTF_8), errorCount, rowErrors);
  }

  // ------------------------------------------------------------------------- counts and merge

  /**
   * Adds `participants` anonymous participants known only by sex (ISO/IEC 5218 code). A code that
   * is not ISO/IEC 5218 follows the bad-record policy.
   */
  public synchronized void addAnonymous(int sexCode, long participants) {
    try {
      Jamstat.check(jamstat_aggregator_add_anonymous(handle(), sexCode, participants), fieldNames);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Adds everything `other` holds into this aggregator (same schema, same person key). */
  public void merge(Aggregator other) {
    Objects.requireNonNull(other, "other");
    if (other == this) {
      throw new IllegalArgumentException("an aggregator cannot be merged into itself");
    }
    // Lock in a fixed order so that a.merge(b) and b.merge(a) on two threads cannot deadlock.
    Aggregator first = System.identityHashCode(this) <= System.identityHashCode(other) ? this : other;
    Aggregator second = first == this ? other : this;
    synchronized (first) {
      synchronized (second) {
        try {
          Jamstat.check(jamstat_aggregator_merge(handle(), other.handle()), fieldNames);
        } finally {
          Reference.reachabilityFence(this);
          Reference.reachabilityFence(other);
        }
      }
    }
  }

  /** Records added (rejected ones excluded). */
  public synchronized long participations() {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_aggregator_participations(handle(), out));
      return out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Rejected records tallied, all reasons and fields. */
  public long rejected() {
    return rejected(JamstatAbi.JAMSTAT_ANY, JamstatAbi.JAMSTAT_ANY);
  }

  /** Rejected records tallied for a reason (null: any) and a schema field (-1: any). */
  public long rejected(RejectionReason reason, long field) {
    return rejected(reason == null ? JamstatAbi.JAMSTAT_ANY : reason.code(), field);
  }

  /** Rejected records tallied for a reason and a field, either JAMSTAT_ANY (-1). */
  public synchronized long rejected(int reason, long field) {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_aggregator_rejected(handle(), reason, field, out), fieldNames);
      return out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Values of decimal measure `measure` that were off its grid and rounded to it (OffGrid.ROUND). */
  public synchronized long roundedValues(int measure) {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_aggregator_rounded_values(handle(), measure, out), fieldNames);
      return out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  // ---------------------------------------------------------------------------------- roll-ups

  /**
   * Roll-up at exactly these dimensions (schema indices, in the order the table keeps; sex is not
   * added implicitly). No dimension gives the total.
   */
  public synchronized Table rollup(int... dimensions) {
    Objects.requireNonNull(dimensions, "dimensions");
    try (Memory dims = NativeArrays.sizes(dimensions); Memory slot = new Memory(Native.POINTER_SIZE)) {
      slot.setPointer(0, null);
      Jamstat.check(jamstat_rollup(handle(), dims, dimensions.length, slot));
      return new Table(slot.getPointer(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Roll-up by dimension names, sex kept (first): {@code rollup("intervention")} is sex x intervention. */
  public Table rollup(String... names) {
    return rollup(true, names);
  }

  /** Roll-up by dimension names; sex is kept unless keepSex is false. */
  public synchronized Table rollup(boolean keepSex, String... names) {
    Objects.requireNonNull(names, "names");
    NativeArrays.StringArray n = new NativeArrays.StringArray(Arrays.asList(names), "names");
    try (Memory slot = new Memory(Native.POINTER_SIZE)) {
      slot.setPointer(0, null);
      Jamstat.check(jamstat_rollup_by_name(handle(), n.pointers, n.size(), keepSex ? 1 : 0, slot));
      return new Table(slot.getPointer(0));
    } finally {
      Reference.reachabilityFence(n);
      Reference.reachabilityFence(this);
    }
  }

  /** The total ("Totalt"): one cell, anonymous participants included. */
  public synchronized Table total() {
    try (Memory slot = new Memory(Native.POINTER_SIZE)) {
      slot.setPointer(0, null);
      Jamstat.check(jamstat_total(handle(), slot));
      return new Table(slot.getPointer(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Every roll-up at once: the 2^d tables of all subsets of the d dimensions (at most 20). */
  public synchronized Cube cube() {
    try (Memory slot = new Memory(Native.POINTER_SIZE)) {
      slot.setPointer(0, null);
      Jamstat.check(jamstat_cube_new(handle(), slot));
      return new Cube(slot.getPointer(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The groupings to publish, protected at once as linked tables (docs/disclosure.md): masks as
   * jamstat_cube_table takes them (bit k = schema dimension k, bit 0 = sex, 0 = the total);
   * options may be null for the defaults (cell suppression).
   */
  public ProtectedTables protectedTables(long[] groupingMasks, ProtectedTables.Options options) {
    return ProtectedTables.create(this, groupingMasks.clone(), options);
  }

  /** The groupings to publish by dimension names ("sex" named explicitly; an empty list is the total). */
  public ProtectedTables protectedTables(List<List<String>> groupings, ProtectedTables.Options options) {
    long[] masks = new long[groupings.size()];
    try (Schema s = schema()) {
      for (int g = 0; g < masks.length; ++g) {
        masks[g] = ProtectedTables.maskOf(s, groupings.get(g));
      }
    }
    return ProtectedTables.create(this, masks, options);
  }

  /** The gap report of this aggregator (docs/methods-gap.md); options may be null for the defaults. */
  public GapReport gapReport(GapOptions options) {
    return GapReport.create(this, options == null ? new GapOptions() : options);
  }

  /**
   * The strata report (docs/methods-intersectional.md): the gap report over the strata of these
   * dimensions (names, besides sex) crossed with sex, women against men in every stratum; options
   * may be null (compareAcross, adjustFor, target and previous must be unset). Its strata:
   * {@link GapReport#strata()}.
   */
  public GapReport strataReport(List<String> dimensions, GapOptions options) {
    Objects.requireNonNull(dimensions, "dimensions");
    return GapReport.create(this, dimensions, options == null ? new GapOptions() : options);
  }

  /** The strata report over these dimensions with the default options. */
  public GapReport strataReport(String... dimensions) {
    return strataReport(Arrays.asList(dimensions), null);
  }

  /** MAIHDA: the null and the additive multilevel models over the strata of sex x the options' dimensions. */
  public Maihda maihda(MaihdaOptions options) {
    return Maihda.create(this, options);
  }

  /** The Oaxaca-Blinder decomposition of the gap between women and men. */
  public Decomposition oaxacaBlinder(OaxacaOptions options) {
    return Decomposition.oaxaca(this, options);
  }

  /**
   * The Oaxaca-Blinder decomposition with numeric characteristics (jamstat_oaxaca_numeric_new;
   * docs/methods-intersectional.md section 2.5): the options' subject (an outcome, or a decimal
   * measure of the schema's cross-product set) regressed on `numeric` (names in the set, one
   * column each, in this order) and on the options' characteristics (dimensions besides sex, dummy
   * coded; may be empty), X'X and X'y summed exactly from the cells' cross-products. The linear
   * decomposition only. A JamstatException (INVALID_ARGUMENT) when the schema keeps no
   * cross-product set or a name is not in it.
   */
  public Decomposition oaxacaBlinderNumeric(OaxacaOptions options, List<String> numeric) {
    return Decomposition.oaxacaNumeric(this, options, numeric);
  }

  /** As {@link #oaxacaBlinderNumeric(OaxacaOptions, List)}, the numeric characteristics as arguments. */
  public Decomposition oaxacaBlinderNumeric(OaxacaOptions options, String... numeric) {
    return Decomposition.oaxacaNumeric(this, options, Arrays.asList(Objects.requireNonNull(numeric, "numeric")));
  }

  // ------------------------------------------------------------------------------------ state

  /** What the state holds about persons: participations only, pseudonymised (person hashes) or person-free. */
  public synchronized StateForm stateForm() {
    try (Memory out = new Memory(4)) {
      Jamstat.check(jamstat_aggregator_state_form(handle(), out));
      return StateForm.fromCode(out.getInt(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * A person-free copy of this state with every grouping of the cube frozen (docs/state-format.md,
   * "Person-free states"); see {@link #personFree(List)}.
   */
  public Aggregator personFree() {
    return personFreeOf(new long[0]);
  }

  /**
   * A person-free copy of this state, a new aggregator (close it): the same cells, counts,
   * outcomes, measures and tallies, but instead of the keyed hashes of person ids only the distinct
   * persons of every cell of `groupings`, for exchange with anyone who should not hold the person
   * key. Groupings by dimension names as {@link #protectedTables(List, ProtectedTables.Options)}
   * takes them ("sex" named explicitly; an empty list is the total). The finest grouping is always
   * frozen, so an empty `groupings` freezes only that one ({@link #personFree()} freezes all).
   * The copy's roll-ups have persons for the frozen groupings only ({@link CellCounts#hasPersons()}
   * false and {@link TableColumns#persons()} null elsewhere); it serializes and reads back like any
   * state, but takes no records and cannot be merged (JamstatException, INVALID_ARGUMENT). A
   * JamstatException (INVALID_ARGUMENT) for a state that does not count persons or is person-free
   * already, or a grouping given twice.
   */
  public Aggregator personFree(List<List<String>> groupings) {
    Objects.requireNonNull(groupings, "groupings");
    long[] masks = new long[groupings.size()];
    try (Schema s = schema()) {
      for (int g = 0; g < masks.length; ++g) {
        masks[g] = ProtectedTables.maskOf(s, groupings.get(g));
      }
    }
    return personFree(masks);
  }

  /**
   * As {@link #personFree(List)}, the groupings as masks (bit k = schema dimension k, bit 0 = sex,
   * 0 = the total); an empty array freezes only the finest grouping.
   */
  public Aggregator personFree(long[] groupingMasks) {
    Objects.requireNonNull(groupingMasks, "groupingMasks");
    if (groupingMasks.length == 0) {  // not count 0, which freezes every grouping: just the finest
      return personFreeOf(new long[] {(1L << dimensionCount) - 1});
    }
    return personFreeOf(groupingMasks.clone());
  }

  private synchronized Aggregator personFreeOf(long[] masks) {
    try (Memory m = new Memory(8L * Math.max(1, masks.length)); Memory slot = new Memory(Native.POINTER_SIZE)) {
      m.write(0, masks, 0, masks.length);
      slot.setPointer(0, null);
      Jamstat.check(jamstat_aggregator_person_free(handle(), masks.length == 0 ? null : m, masks.length, slot), fieldNames);
      return new Aggregator(slot.getPointer(0), AggregatorOptions.defaults().policy(options.policy()));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The bytes {@link #serialize()} needs now. */
  public synchronized long serializedSize() {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_aggregator_serialized_size(handle(), out));
      return out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The aggregator's state (docs/state-format.md). A state that counts persons holds keyed hashes
   * of person ids: pseudonymised personal data for whoever holds the key.
   */
  public synchronized byte[] serialize() {
    try (Memory size = new Memory(8)) {
      Jamstat.check(jamstat_aggregator_serialized_size(handle(), size));
      long n = size.getLong(0);
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("the state has " + n + " bytes, more than a Java array holds; use serialize(ByteBuffer)");
      }
      try (Memory buffer = Column.memory(n)) {
        Jamstat.check(jamstat_aggregator_serialize(handle(), buffer, n, size));
        return buffer.getByteArray(0, (int) size.getLong(0));
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Writes the state into a direct buffer at its position (advanced by the bytes written). A
   * JamstatException with status BUFFER_TOO_SMALL when it does not fit; see {@link #serializedSize()}.
   */
  public synchronized int serialize(ByteBuffer into) {
    Objects.requireNonNull(into, "into");
    if (!into.isDirect()) {
      throw new IllegalArgumentException("serialize(ByteBuffer) writes into a direct buffer; use serialize() for a byte[]");
    }
    if (into.isReadOnly()) {
      throw new IllegalArgumentException("the buffer is read-only");
    }
    try (Memory size = new Memory(8)) {
      Pointer at = Native.getDirectBufferPointer(into).share(into.position());
      Jamstat.check(jamstat_aggregator_serialize(handle(), at, into.remaining(), size));
      int written = (int) size.getLong(0);
      into.position(into.position() + written);
      return written;
    } finally {
      Reference.reachabilityFence(into);
      Reference.reachabilityFence(this);
    }
  }

  private static int align8(int n) {
    return (n + 7) & ~7;
  }
}
