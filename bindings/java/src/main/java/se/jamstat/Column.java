package se.jamstat;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One column of a batch: `length` values of a C element type ({@link ColumnType}), from a Java
 * array, a direct buffer or native memory.
 *
 * <p><b>Zero copy.</b> A column over native memory — a direct {@link ByteBuffer} (or a direct
 * Int/Long/Short/Float/DoubleBuffer) in the platform's byte order, or a JNA {@link Pointer} — is
 * handed to the library as it is: the caller fills the buffer and no byte is copied. Java arrays
 * live in the garbage-collected heap, which C cannot be given a pointer into from JNA, so their
 * values are copied into native memory on each add (in cache-sized pieces when the batch is
 * large and persons are not counted; see {@link Aggregator#addColumns}).
 *
 * <p>Which types go where (as in jamstat.h): dimension codes U8, U16, I32; outcomes U8, I32;
 * numeric measures F64, F32, and I64 (grid units: 26554 for 265.54 at 2 decimals) for decimal
 * measures; person ids U32, U64, BYTES. Java's integers are signed: a U8 column of byte 200 (as
 * (byte) 200) is code 200, a U32 column of -1 is 4294967295.
 */
public final class Column {
  private final ColumnType type;
  private final long length;
  private final Object array;       // a Java primitive array, or null
  private final int arrayOffset;
  private final Buffer buffer;      // a direct buffer kept reachable, or null
  private final Pointer address;    // native data, or null
  private final byte[][] personIds; // BYTES columns from Java

  private Column(ColumnType type, long length, Object array, int arrayOffset, Buffer buffer, Pointer address, byte[][] personIds) {
    this.type = type;
    this.length = length;
    this.array = array;
    this.arrayOffset = arrayOffset;
    this.buffer = buffer;
    this.address = address;
    this.personIds = personIds;
  }

  /** Codes or outcomes 0..255 (Java bytes read as unsigned). */
  public static Column u8(byte[] values) {
    return new Column(ColumnType.U8, values.length, values, 0, null, null, null);
  }

  /** Codes 0..65535 (Java shorts read as unsigned). */
  public static Column u16(short[] values) {
    return new Column(ColumnType.U16, values.length, values, 0, null, null, null);
  }

  /** Codes (JAMSTAT_MISSING_CODE, -1, for missing) or outcomes. */
  public static Column i32(int[] values) {
    return new Column(ColumnType.I32, values.length, values, 0, null, null, null);
  }

  /** Person ids as unsigned 32-bit integers. */
  public static Column u32(int[] values) {
    return new Column(ColumnType.U32, values.length, values, 0, null, null, null);
  }

  /** Person ids as unsigned 64-bit integers. */
  public static Column u64(long[] values) {
    return new Column(ColumnType.U64, values.length, values, 0, null, null, null);
  }

  /** A decimal measure's values in grid units (26554 for 265.54 at 2 decimals): exact. */
  public static Column i64(long[] values) {
    return new Column(ColumnType.I64, values.length, values, 0, null, null, null);
  }

  /** Numeric measure values. */
  public static Column f32(float[] values) {
    return new Column(ColumnType.F32, values.length, values, 0, null, null, null);
  }

  /** Numeric measure values. */
  public static Column f64(double[] values) {
    return new Column(ColumnType.F64, values.length, values, 0, null, null, null);
  }

  /** Person ids as byte strings (an empty or null one is a missing id). */
  public static Column personIds(byte[][] ids) {
    return new Column(ColumnType.BYTES, ids.length, null, 0, null, null, ids.clone());
  }

  /** Person ids as text, hashed as their UTF-8 bytes (an empty or null one is a missing id). */
  public static Column personIds(String[] ids) {
    byte[][] bytes = new byte[ids.length][];
    for (int i = 0; i < ids.length; ++i) {
      bytes[i] = ids[i] == null ? null : ids[i].getBytes(StandardCharsets.UTF_8);
    }
    return new Column(ColumnType.BYTES, ids.length, null, 0, null, null, bytes);
  }

  /**
   * Person ids from parsed personnummer: each hashed as its canonical 12 digits
   * ({@link Personnummer#personId()}), as the CSV ingest hashes them (a null one is a missing id).
   */
  public static Column personIds(Personnummer[] ids) {
    byte[][] bytes = new byte[ids.length][];
    for (int i = 0; i < ids.length; ++i) {
      bytes[i] = ids[i] == null ? null : ids[i].personId();
    }
    return new Column(ColumnType.BYTES, ids.length, null, 0, null, null, bytes);
  }

  /**
   * A column over a buffer's remaining values. A direct buffer is used in place, without a copy:
   * it must be in the platform's byte order ({@code ByteOrder.nativeOrder()}) for types wider than
   * a byte, and aligned to its element size. A heap buffer is copied like an array. For a
   * ByteBuffer, the length is remaining() / the element size.
   */
  public static Column of(ColumnType type, Buffer values) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(values, "values");
    int size = elementSize(type);
    if (type == ColumnType.BYTES || type == ColumnType.NONE) {
      throw new IllegalArgumentException(type + " columns cannot come from a buffer; use Column.personIds");
    }
    int bufferElement = values instanceof ByteBuffer ? 1
        : values instanceof ShortBuffer ? 2
        : values instanceof IntBuffer || values instanceof FloatBuffer ? 4
        : values instanceof LongBuffer || values instanceof DoubleBuffer ? 8 : 0;
    if (bufferElement == 0) {
      throw new IllegalArgumentException("unsupported buffer type " + values.getClass().getName());
    }
    if (bufferElement != 1 && bufferElement != size) {
      throw new IllegalArgumentException(type + " values are " + size + " bytes; a " + values.getClass().getSimpleName()
          + " holds " + bufferElement + "-byte values");
    }
    boolean floatType = type == ColumnType.F32 || type == ColumnType.F64;
    if ((values instanceof FloatBuffer || values instanceof DoubleBuffer) != floatType && bufferElement != 1) {
      throw new IllegalArgumentException(type + " values cannot come from a " + values.getClass().getSimpleName());
    }
    if (size > 1 && order(values) != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("the buffer's byte order is " + order(values) + "; " + type
          + " values need the platform's (" + ByteOrder.nativeOrder() + "): call order(ByteOrder.nativeOrder()) before filling it");
    }
    long bytes = (long) values.remaining() * bufferElement;
    if (bytes % size != 0) {
      throw new IllegalArgumentException("the buffer holds " + bytes + " bytes, not a whole number of " + size + "-byte " + type + " values");
    }
    long length = bytes / size;
    if (values.isDirect()) {
      Pointer base = Native.getDirectBufferPointer(values);
      long offset = (long) values.position() * bufferElement;
      Pointer data = base.share(offset);
      if (Pointer.nativeValue(data) % size != 0) {
        throw new IllegalArgumentException("the buffer's data is not aligned to " + size + " bytes, as " + type + " values must be");
      }
      return new Column(type, length, null, 0, values, data, null);
    }
    if (!values.hasArray()) {
      throw new IllegalArgumentException("a read-only heap buffer cannot be used; pass a direct buffer or an array");
    }
    if (bufferElement == 1 && size > 1) {
      throw new IllegalArgumentException("a heap ByteBuffer can only carry U8 values; use a direct buffer or a typed array");
    }
    return new Column(type, length, values.array(), values.arrayOffset() + values.position(), null, null, null);
  }

  /** A column of `length` values of `type` at `data` in native memory (zero copy; the caller keeps it alive). */
  public static Column of(ColumnType type, Pointer data, long length) {
    Objects.requireNonNull(type, "type");
    if (length < 0) {
      throw new IllegalArgumentException("length " + length + " is negative");
    }
    if (data == null && length > 0) {
      throw new NullPointerException("data is NULL for " + length + " values");
    }
    return new Column(type, length, null, 0, null, data, null);
  }

  /** The element type. */
  public ColumnType type() {
    return type;
  }

  /** Number of values. */
  public long length() {
    return length;
  }

  /** True when the column's values are already in native memory (no copy on add). */
  public boolean isNative() {
    return address != null || (array == null && personIds == null);
  }

  Pointer address() {
    return address;
  }

  Buffer buffer() {
    return buffer;
  }

  /** Bytes per value in native memory (BYTES: one jamstat_bytes). */
  static int elementSize(ColumnType type) {
    switch (type) {
      case U8:
        return 1;
      case U16:
        return 2;
      case I32:
      case U32:
      case F32:
        return 4;
      case U64:
      case F64:
      case I64:
        return 8;
      case BYTES:
        return se.jamstat.abi.JamstatStructs.jamstat_bytes.SIZE;
      default:
        return 1;
    }
  }

  int elementSize() {
    return elementSize(type);
  }

  /** Native bytes {@link #stage} needs for rows [first, first + count) beyond the values themselves (BYTES: the ids). */
  long extraBytes(long first, long count) {
    if (personIds == null) {
      return 0;
    }
    long total = 0;
    for (long i = first; i < first + count; ++i) {
      byte[] id = personIds[(int) i];
      total += id == null ? 0 : id.length;
    }
    return total;
  }

  /**
   * Copies values [first, first + count) of a Java-side column to `to` (elementSize() * count
   * bytes, then extraBytes() for BYTES columns' ids).
   */
  void stage(Pointer to, long first, long count) {
    int f = Math.toIntExact(first);
    int n = Math.toIntExact(count);
    int from = arrayOffset + f;
    if (array instanceof byte[]) {
      to.write(0, (byte[]) array, from, n);
    } else if (array instanceof short[]) {
      to.write(0, (short[]) array, from, n);
    } else if (array instanceof int[]) {
      to.write(0, (int[]) array, from, n);
    } else if (array instanceof long[]) {
      to.write(0, (long[]) array, from, n);
    } else if (array instanceof float[]) {
      to.write(0, (float[]) array, from, n);
    } else if (array instanceof double[]) {
      to.write(0, (double[]) array, from, n);
    } else if (personIds != null) {
      int entry = se.jamstat.abi.JamstatStructs.jamstat_bytes.SIZE;
      long dataOffset = (long) entry * n;
      long bytesAt = se.jamstat.abi.JamstatStructs.jamstat_bytes.data;
      long lengthAt = se.jamstat.abi.JamstatStructs.jamstat_bytes.length;
      for (int i = 0; i < n; ++i) {
        byte[] id = personIds[f + i];
        int len = id == null ? 0 : id.length;
        if (len > 0) {
          to.write(dataOffset, id, 0, len);
          to.setPointer((long) i * entry + bytesAt, to.share(dataOffset));
        } else {
          to.setPointer((long) i * entry + bytesAt, null);
        }
        to.setLong((long) i * entry + lengthAt, len);
        dataOffset += len;
      }
    } else {
      throw new IllegalStateException("a native column is not staged");
    }
  }

  private static ByteOrder order(Buffer b) {
    if (b instanceof ByteBuffer) {
      return ((ByteBuffer) b).order();
    } else if (b instanceof ShortBuffer) {
      return ((ShortBuffer) b).order();
    } else if (b instanceof IntBuffer) {
      return ((IntBuffer) b).order();
    } else if (b instanceof LongBuffer) {
      return ((LongBuffer) b).order();
    } else if (b instanceof FloatBuffer) {
      return ((FloatBuffer) b).order();
    }
    return ((DoubleBuffer) b).order();
  }

  @Override
  public String toString() {
    return "Column[" + type + ", " + length + " values" + (isNative() ? ", native" : "") + "]";
  }

  /** A typed view of a fresh direct buffer for `length` values of `type`, in native order, for callers to fill. */
  public static ByteBuffer allocateDirect(ColumnType type, int length) {
    int size = elementSize(type);
    return ByteBuffer.allocateDirect(Math.multiplyExact(size, length)).order(ByteOrder.nativeOrder());
  }

  static Memory memory(long bytes) {
    return new Memory(Math.max(1, bytes));
  }
}
