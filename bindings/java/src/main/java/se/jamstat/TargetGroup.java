package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * A target group (e.g. the registered population by sex and age band) for the gap report's
 * participation findings: population counts per cell of some dimensions (schema indices other
 * than sex; none for sex alone) by sex code. Close it when done (after the report is built).
 */
public final class TargetGroup extends NativeHandle {
  private final int dimensionCount;

  /** A target group over these schema dimensions (none: by sex alone). */
  public TargetGroup(Schema schema, int... dimensions) {
    super(create(schema, dimensions), h -> jamstat_target_group_free(h), "target group");
    this.dimensionCount = dimensions.length;
  }

  private static Pointer create(Schema schema, int[] dimensions) {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(dimensions, "dimensions");
    synchronized (schema) {
      try (Memory dims = NativeArrays.sizes(dimensions); Memory slot = new Memory(Native.POINTER_SIZE)) {
        slot.setPointer(0, null);
        Jamstat.check(jamstat_target_group_new(schema.handle(), dims, dimensions.length, slot));
        return slot.getPointer(0);
      } finally {
        Reference.reachabilityFence(schema);
      }
    }
  }

  /** Adds one cell: its level indices (one per dimension of the target group), a sex code, the population. */
  public synchronized TargetGroup add(int[] levelIndices, int sexCode, long population) {
    Objects.requireNonNull(levelIndices, "levelIndices");
    try (Memory levels = NativeArrays.ints(levelIndices)) {
      Jamstat.check(jamstat_target_group_add(handle(), levels, levelIndices.length, sexCode, population));
      return this;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Adds the population of a sex code, for a target group by sex alone. */
  public TargetGroup add(int sexCode, long population) {
    return add(new int[0], sexCode, population);
  }

  /** Number of dimensions the target group is broken down by (sex aside). */
  public int dimensionCount() {
    return dimensionCount;
  }
}
