package se.jamstat;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Moves values between Java and native memory, always as UTF-8 for text: the binding never lets
 * JNA encode or decode a String with the platform charset (under LANG=C that charset is ASCII and
 * "Män" would silently become "M?n").
 */
final class NativeArrays {
  private NativeArrays() {}

  static int[] ints(Pointer p, long count) {
    int n = length(p, count);
    int[] out = new int[n];
    if (n > 0) {
      p.read(0, out, 0, n);
    }
    return out;
  }

  static long[] longs(Pointer p, long count) {
    int n = length(p, count);
    long[] out = new long[n];
    if (n > 0) {
      p.read(0, out, 0, n);
    }
    return out;
  }

  static double[] doubles(Pointer p, long count) {
    int n = length(p, count);
    double[] out = new double[n];
    if (n > 0) {
      p.read(0, out, 0, n);
    }
    return out;
  }

  static float[] floats(Pointer p, long count) {
    int n = length(p, count);
    float[] out = new float[n];
    if (n > 0) {
      p.read(0, out, 0, n);
    }
    return out;
  }

  static byte[] bytes(Pointer p, long count) {
    int n = length(p, count);
    return n > 0 ? p.getByteArray(0, n) : new byte[0];
  }

  /** `count` strings from an array of `const char *` (a NULL entry reads as null). */
  static String[] strings(Pointer p, long count) {
    int n = length(p, count);
    String[] out = new String[n];
    for (int i = 0; i < n; ++i) {
      out[i] = utf8(p.getPointer((long) i * Native.POINTER_SIZE));
    }
    return out;
  }

  /** A NULL-terminated C string decoded as UTF-8 (null for NULL). */
  static String utf8(Pointer p) {
    if (p == null) {
      return null;
    }
    long length = p.indexOf(0, (byte) 0);
    return length == 0 ? "" : new String(p.getByteArray(0, (int) length), StandardCharsets.UTF_8);
  }

  /** UTF-8 bytes of `text` followed by a NUL; refuses a text with a NUL in it, which C would cut. */
  static byte[] utf8z(String text, String what) {
    if (text == null) {
      throw new NullPointerException(what + " is null");
    }
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains a NUL character, which C text cannot hold: " + text.replace("\0", "\\0"));
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[utf8.length + 1];
    System.arraycopy(utf8, 0, z, 0, utf8.length);
    return z;
  }

  /** A NUL-terminated UTF-8 copy of `text` in native memory (freed when unreachable or closed). */
  static Memory string(String text, String what) {
    byte[] z = utf8z(text, what);
    Memory m = new Memory(z.length);
    m.write(0, z, 0, z.length);
    return m;
  }

  /** Like {@link #string} but null stays NULL. */
  static Memory stringOrNull(String text, String what) {
    return text == null ? null : string(text, what);
  }

  /** Native copies of `ints` (null for an empty array: C takes NULL with a zero count). */
  static Memory ints(int[] values) {
    if (values.length == 0) {
      return null;
    }
    Memory m = new Memory(4L * values.length);
    m.write(0, values, 0, values.length);
    return m;
  }

  /** Native copies of `values` as size_t (null for an empty array). */
  static Memory sizes(int[] values) {
    if (values.length == 0) {
      return null;
    }
    Memory m = new Memory(8L * values.length);
    for (int i = 0; i < values.length; ++i) {
      m.setLong(8L * i, values[i]);
    }
    return m;
  }

  private static int length(Pointer p, long count) {
    if (count < 0 || count > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("a result of " + Long.toUnsignedString(count) + " values does not fit in a Java array");
    }
    if (p == null && count > 0) {
      throw new IllegalStateException("the library returned NULL for an array of " + count + " values");
    }
    return (int) count;
  }

  /**
   * An array of `const char *` in native memory: the strings' copies and the pointer array, kept
   * together so that the strings stay reachable as long as the array is.
   */
  static final class StringArray {
    final Memory pointers;
    private final Memory[] strings;

    StringArray(List<String> texts, String what) {
      strings = new Memory[texts.size()];
      pointers = texts.isEmpty() ? null : new Memory((long) Native.POINTER_SIZE * texts.size());
      for (int i = 0; i < strings.length; ++i) {
        strings[i] = string(texts.get(i), what + "[" + i + "]");
        pointers.setPointer((long) i * Native.POINTER_SIZE, strings[i]);
      }
    }

    int size() {
      return strings.length;
    }
  }
}
