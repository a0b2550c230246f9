package se.jamstat.abi;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds libjamstat and binds {@link JamstatNative} to it with JNA's direct mapping.
 *
 * <p>Where the library comes from, first match wins: the system property {@code jamstat.library}
 * (a path or a name), the environment variable {@code JAMSTAT_LIBRARY} (same), else the name
 * {@code jamstat}, which JNA looks up in {@code jna.library.path}, {@code java.library.path} and
 * the system's library directories ({@code libjamstat.so}, or {@code libjamstat.so.1} of a runtime
 * package).
 *
 * <p>Checks on load: a 64-bit platform (the generated struct layouts are LP64's), and the loaded
 * library's ABI version equal to the header's the declarations were generated from. A library
 * that lacks a function of the declarations fails here too (Native.register binds every method
 * at once), so a missing symbol is an error on load, never on first use.
 */
public final class NativeLoader {
  private NativeLoader() {}

  /** The system property naming the library (a path, or a name JNA searches for). */
  public static final String LIBRARY_PROPERTY = "jamstat.library";
  /** The environment variable naming the library, used when the property is not set. */
  public static final String LIBRARY_ENVIRONMENT = "JAMSTAT_LIBRARY";

  private static volatile NativeLibrary library;

  /** The library location this JVM uses (see the class comment). */
  public static String libraryName() {
    String name = System.getProperty(LIBRARY_PROPERTY);
    if (name == null || name.isEmpty()) {
      name = System.getenv(LIBRARY_ENVIRONMENT);
    }
    return name == null || name.isEmpty() ? "jamstat" : name;
  }

  /** The file of the loaded library (after the first call into it). */
  public static File libraryFile() {
    NativeLibrary lib = library;
    return lib == null ? null : lib.getFile();
  }

  static synchronized void register(Class<?> cls) {
    if (Native.POINTER_SIZE != 8 || Native.SIZE_T_SIZE != 8) {
      throw new UnsatisfiedLinkError(
          "jamstat's Java binding needs a 64-bit platform (its struct layouts are LP64's); pointers here are "
              + Native.POINTER_SIZE + " bytes and size_t " + Native.SIZE_T_SIZE);
    }
    Map<String, Object> options = new HashMap<>();
    // Strings never cross as java.lang.String (the binding passes UTF-8 bytes itself), but should
    // anyone add such a method, JNA must not fall back to the platform charset: under LANG=C it
    // would turn "Män" into "M?n".
    options.put(Library.OPTION_STRING_ENCODING, StandardCharsets.UTF_8.name());
    String name = libraryName();
    NativeLibrary lib;
    try {
      lib = NativeLibrary.getInstance(name, options);
    } catch (UnsatisfiedLinkError e) {
      UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot load libjamstat from '" + name + "' (set the system property "
          + LIBRARY_PROPERTY + " or the environment variable " + LIBRARY_ENVIRONMENT + " to its path): " + e.getMessage());
      error.initCause(e);
      throw error;
    }
    Native.register(cls, lib);
    library = lib;
    int abi = JamstatNative.jamstat_abi_version();
    if (abi != JamstatAbi.JAMSTAT_ABI_VERSION) {
      throw new UnsatisfiedLinkError("libjamstat at " + lib.getFile() + " has ABI version " + abi
          + "; this binding was generated for ABI version " + JamstatAbi.JAMSTAT_ABI_VERSION);
    }
  }
}
