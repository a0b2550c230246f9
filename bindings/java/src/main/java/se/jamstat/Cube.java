package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;

/**
 * Every roll-up at once: the 2^d tables of all subsets of the d dimensions, each built from its
 * smallest finer table. Tables taken from it outlive it; close it when done.
 */
public final class Cube extends NativeHandle {
  Cube(Pointer handle) {
    super(handle, h -> jamstat_cube_free(h), "cube");
  }

  /** Number of tables: 2^d. */
  public synchronized long tableCount() {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_cube_table_count(handle(), out));
      return out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The table of the dimensions in bit mask `mask` (bit k = schema dimension k; 0 = the total), as a new handle. */
  public synchronized Table table(long mask) {
    try (Memory slot = new Memory(Native.POINTER_SIZE)) {
      slot.setPointer(0, null);
      Jamstat.check(jamstat_cube_table(handle(), mask, slot));
      return new Table(slot.getPointer(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }
}
