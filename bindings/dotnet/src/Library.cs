using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>
    /// The native library libjamstat.so.1: where it is loaded from, its versions, and the texts
    /// of statuses and rejection reasons.
    /// </summary>
    /// <remarks>
    /// The declarations bind to the library by its SONAME, <c>libjamstat.so.1</c> (the ABI
    /// version is part of the name), which the dynamic loader finds on the usual paths
    /// (LD_LIBRARY_PATH, the ld.so cache, /usr/lib). To use a library elsewhere, set the
    /// environment variable <c>JAMSTAT_LIBRARY</c> to its path, or call <see cref="Load"/> before
    /// any other jamstat call: the library is then opened by path first, and every later lookup of
    /// libjamstat.so.1 finds that one (the dynamic loader matches an open library by its SONAME).
    /// This works the same on Mono and on .NET (Core) 2.0 to 8, with only .NET Standard 2.0 APIs.
    /// On first use the ABI version of the library is checked against the one the declarations
    /// were generated from.
    /// </remarks>
    public static class Library
    {
        /// <summary>The environment variable naming the libjamstat.so to load.</summary>
        public const string PathVariable = "JAMSTAT_LIBRARY";

        static readonly object gate = new object();
        static volatile bool ready;
        static string loadedPath;

        /// <summary>
        /// Loads the library from <paramref name="path"/> (a libjamstat.so with SONAME
        /// libjamstat.so.1) and checks its ABI version. Call it before any other jamstat call;
        /// calling it again with another path after the library is in use is an error.
        /// </summary>
        public static void Load(string path)
        {
            if (path == null) throw new ArgumentNullException("path");
            lock (gate)
            {
                if (ready)
                {
                    if (loadedPath == path) return;
                    throw new InvalidOperationException("jamstat: the native library is already in use (" +
                        (loadedPath ?? NativeMethods.Library) + "); Library.Load(\"" + path + "\") must come before any other jamstat call");
                }
                Open(path);
                loadedPath = path;
                CheckAbi();
                ready = true;
            }
        }

        /// <summary>
        /// Makes sure the library is loaded (from <c>JAMSTAT_LIBRARY</c> when set) and its ABI
        /// version is the one the binding was generated for. Every entry point calls it; it is cheap
        /// after the first time. Code that calls Jamstat.Interop.NativeMethods directly, with the
        /// library loaded from a path, calls it first from another method: Mono resolves a
        /// P/Invoke target when it compiles the calling method.
        /// </summary>
        public static void EnsureLoaded()
        {
            if (ready) return;
            lock (gate)
            {
                if (ready) return;
                string path = Environment.GetEnvironmentVariable(PathVariable);
                if (!string.IsNullOrEmpty(path))
                {
                    Open(path);
                    loadedPath = path;
                }
                CheckAbi();
                ready = true;
            }
        }

        /// <summary>The path the library was loaded from, or null when it was found by its SONAME.</summary>
        public static string LoadedPath { get { EnsureLoaded(); return loadedPath; } }

        /// <summary>Version of the loaded library, e.g. "0.2.0".</summary>
        public static string VersionString { get { EnsureLoaded(); return LoadedLibrary.VersionString(); } }

        /// <summary>Version of the loaded library as MAJOR * 10000 + MINOR * 100 + PATCH.</summary>
        public static int VersionNumber { get { EnsureLoaded(); return LoadedLibrary.VersionNumber(); } }

        /// <summary>ABI version of the loaded library (the N of libjamstat.so.N).</summary>
        public static int AbiVersion { get { EnsureLoaded(); return LoadedLibrary.AbiVersion(); } }

        /// <summary>Version of the header the declarations were generated from.</summary>
        public const string BindingVersion = Constants.JAMSTAT_VERSION_STRING;

        /// <summary>The stable name of a status, e.g. "JAMSTAT_ERROR_BAD_RECORD".</summary>
        public static string StatusName(Status status) { EnsureLoaded(); return LoadedLibrary.StatusName(status); }

        /// <summary>What a status means, in a sentence.</summary>
        public static string StatusMessage(Status status) { EnsureLoaded(); return LoadedLibrary.StatusMessage(status); }

        /// <summary>The stable name of a rejection reason, e.g. "code_unknown".</summary>
        public static string RejectionReasonName(RejectionReason reason) { EnsureLoaded(); return LoadedLibrary.RejectionReasonName(reason); }

        /// <summary>The label of the total: "Totalt" in Swedish, "Total" in English.</summary>
        public static string TotalLabel(Language language) { EnsureLoaded(); return LoadedLibrary.TotalLabel(language); }

        [MethodImpl(MethodImplOptions.NoInlining)]  // compiled only after Open (see LoadedLibrary)
        static void CheckAbi()
        {
            uint abi;
            try
            {
                abi = NativeMethods.jamstat_abi_version();
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException("jamstat: cannot load " + NativeMethods.Library +
                    ": install libjamstat (or put it on LD_LIBRARY_PATH), or set " + PathVariable +
                    " to the path of libjamstat.so", e);
            }
            if (abi != Constants.JAMSTAT_ABI_VERSION)
                throw new InvalidOperationException("jamstat: the loaded library has ABI version " + abi +
                    ", this binding was generated for ABI version " + Constants.JAMSTAT_ABI_VERSION);
        }

        // RTLD_NOW | RTLD_GLOBAL (glibc values)
        const int RTLD_NOW = 2;
        const int RTLD_GLOBAL = 0x100;

        [DllImport("libdl.so.2", EntryPoint = "dlopen", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        static extern unsafe IntPtr dlopen(byte* file, int mode);

        [DllImport("libdl.so.2", EntryPoint = "dlerror", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        static extern unsafe byte* dlerror();

        static unsafe void Open(string path)
        {
            IntPtr h;
            fixed (byte* p = Utf8.Encode(path, "path"))
                h = dlopen(p, RTLD_NOW | RTLD_GLOBAL);
            if (h == IntPtr.Zero)
                throw new DllNotFoundException("jamstat: cannot load " + path + ": " + Utf8.Decode(dlerror()));
            // The handle is kept open for the life of the process (never dlclose'd).
        }
    }

    /// <summary>
    /// Calls made only after Library.EnsureLoaded ran. Mono resolves a P/Invoke target when it
    /// compiles the method that calls it (and remembers a failure), so a method with native
    /// calls must be compiled after the library was opened from JAMSTAT_LIBRARY: the entry
    /// points that may come first (the Library members, new SchemaBuilder(),
    /// Aggregator.Deserialize) call EnsureLoaded and then a separate, not inlined, method with
    /// the native calls. Every other object exists only once the library is loaded. (.NET Core
    /// resolves at the first call and needs none of this.)
    /// </summary>
    internal static unsafe class LoadedLibrary
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static string VersionString() { return Utf8.Decode(NativeMethods.jamstat_version_string()); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int VersionNumber() { return (int)NativeMethods.jamstat_version_number(); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int AbiVersion() { return (int)NativeMethods.jamstat_abi_version(); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static string StatusName(Status status) { return Utf8.Decode(NativeMethods.jamstat_status_name((int)status)); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static string StatusMessage(Status status) { return Utf8.Decode(NativeMethods.jamstat_status_message((int)status)); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static string RejectionReasonName(RejectionReason reason) { return Utf8.Decode(NativeMethods.jamstat_rejection_reason_name((int)reason)); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static string TotalLabel(Language language) { return Utf8.Decode(NativeMethods.jamstat_total_label((int)language)); }
    }
}
