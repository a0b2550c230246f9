package se.jamstat;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An owned C handle: closed deterministically with {@link #close()} (try-with-resources), and
 * freed by a {@link Cleaner} if it becomes unreachable unclosed (a safety net, not the plan:
 * native memory is invisible to the garbage collector, so it may run late).
 *
 * <p>The handle's address lives in one place, the {@link Resource}, which the cleaner action
 * holds without holding this object. Closing goes through the C {@code _free(&h)} with a pointer
 * to that one copy, and then forgets the address, so a closed handle is never passed to C again:
 * using it throws {@link IllegalStateException}.
 *
 * <p>Threads: every call on a handle synchronizes on it, so one handle used from two threads is
 * serialized (the C rule is that a handle must not be changed from two threads at once), and
 * close cannot free it under a running call.
 */
abstract class NativeHandle implements AutoCloseable {
  static final Cleaner CLEANER = Cleaner.create();
  /** Handles freed by the cleaner because they became unreachable unclosed (a diagnostic: it should stay 0). */
  static final AtomicLong FREED_UNCLOSED = new AtomicLong();

  /** The native side: the address and how to free it. Holds nothing of the Java object. */
  static final class Resource implements Runnable {
    private volatile Pointer handle;
    private volatile boolean closing;
    private final Consumer<Pointer> free;

    Resource(Pointer handle, Consumer<Pointer> free) {
      this.handle = handle;
      this.free = free;
    }

    @Override
    public void run() {
      Pointer h = handle;
      handle = null;
      if (h != null) {
        if (!closing) {
          FREED_UNCLOSED.incrementAndGet();
        }
        try (Memory slot = new Memory(8)) {
          slot.setPointer(0, h);
          free.accept(slot);  // jamstat_X_free(&h): frees and sets *h to NULL
        }
      }
    }
  }

  private final Resource resource;
  private final Cleaner.Cleanable cleanable;
  private final String what;

  NativeHandle(Pointer handle, Consumer<Pointer> free, String what) {
    if (handle == null) {
      throw new IllegalStateException("the library returned a NULL " + what);
    }
    this.resource = new Resource(handle, free);
    this.cleanable = CLEANER.register(this, resource);
    this.what = what;
  }

  /** The live handle; throws when closed. Callers hold this object's lock. */
  final Pointer handle() {
    Pointer h = resource.handle;
    if (h == null) {
      throw new IllegalStateException("this " + what + " is closed");
    }
    return h;
  }

  /** True once closed. */
  public final synchronized boolean isClosed() {
    return resource.handle == null;
  }

  /** Frees the C handle (idempotent). */
  @Override
  public synchronized void close() {
    resource.closing = true;
    cleanable.clean();
  }

  /** Reads a handle that a C call wrote through an out-parameter. */
  static Pointer out(Memory slot) {
    return slot.getPointer(0);
  }
}
