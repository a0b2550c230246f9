using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Jamstat
{
    /// <summary>
    /// Explicit UTF-8 for every string crossing the C ABI, whatever the platform's default
    /// encoding (the C ABI takes and returns UTF-8 only; see docs/c-abi.md on JNA under LANG=C).
    /// Encoding is strict: a .NET string that is not valid UTF-16 (a lone surrogate) is an
    /// ArgumentException naming the argument, never a silent "?".
    /// </summary>
    internal static unsafe class Utf8
    {
        static readonly UTF8Encoding strict = new UTF8Encoding(false, true);
        // The library returns valid UTF-8 only; decoding never throws all the same (an error
        // while reading an error message would hide it).
        static readonly UTF8Encoding lenient = new UTF8Encoding(false, false);

        /// <summary>NUL-terminated UTF-8 bytes of <paramref name="s"/>; null for null.</summary>
        internal static byte[] Encode(string s, string argument)
        {
            if (s == null) return null;
            try
            {
                int n = strict.GetByteCount(s);
                var bytes = new byte[n + 1];
                strict.GetBytes(s, 0, s.Length, bytes, 0);
                if (Array.IndexOf(bytes, (byte)0, 0, n) >= 0)
                    throw new ArgumentException("jamstat: " + argument + " contains a NUL character, which the C ABI cannot take", argument);
                return bytes;
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("jamstat: " + argument + " is not valid text (a lone UTF-16 surrogate at index " + e.Index + ")", argument, e);
            }
        }

        /// <summary>UTF-8 bytes of <paramref name="s"/> without a terminator (for byte-string person ids).</summary>
        internal static byte[] EncodeBytes(string s, string argument)
        {
            if (s == null) throw new ArgumentNullException(argument);
            try
            {
                return strict.GetBytes(s);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("jamstat: " + argument + " is not valid text (a lone UTF-16 surrogate at index " + e.Index + ")", argument, e);
            }
        }

        /// <summary>The string at a NUL-terminated UTF-8 pointer; null for NULL.</summary>
        internal static string Decode(byte* p)
        {
            if (p == null) return null;
            int n = 0;
            while (p[n] != 0) ++n;
            return n == 0 ? string.Empty : lenient.GetString(p, n);
        }

        /// <summary>The string in a fixed char buffer of at most <paramref name="capacity"/> bytes.</summary>
        internal static string Decode(byte* p, int capacity)
        {
            int n = 0;
            while (n < capacity && p[n] != 0) ++n;
            return n == 0 ? string.Empty : lenient.GetString(p, n);
        }
    }

    /// <summary>
    /// An array of strings as pinned NUL-terminated UTF-8 (<c>const char *const *</c>) for the
    /// duration of a call. Dispose unpins.
    /// </summary>
    internal sealed unsafe class Utf8Array : IDisposable
    {
        readonly GCHandle[] pins;
        readonly IntPtr[] pointers;
        GCHandle pointerPin;

        internal Utf8Array(string[] strings, string argument)
        {
            int n = strings == null ? 0 : strings.Length;
            pins = new GCHandle[n];
            pointers = new IntPtr[n];
            try
            {
                for (int i = 0; i < n; ++i)
                {
                    if (strings[i] == null) throw new ArgumentNullException(argument, "jamstat: " + argument + "[" + i + "] is null");
                    pins[i] = GCHandle.Alloc(Utf8.Encode(strings[i], argument + "[" + i + "]"), GCHandleType.Pinned);
                    pointers[i] = pins[i].AddrOfPinnedObject();
                }
                pointerPin = GCHandle.Alloc(pointers, GCHandleType.Pinned);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>Number of strings.</summary>
        internal int Count { get { return pointers.Length; } }

        /// <summary>The <c>const char *const *</c>; valid until Dispose (NULL for no strings).</summary>
        internal byte** Pointer
        {
            get { return pointers.Length == 0 ? null : (byte**)pointerPin.AddrOfPinnedObject(); }
        }

        public void Dispose()
        {
            for (int i = 0; i < pins.Length; ++i)
                if (pins[i].IsAllocated) pins[i].Free();
            if (pointerPin.IsAllocated) pointerPin.Free();
        }
    }
}
