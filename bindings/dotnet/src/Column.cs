using System;
using System.Runtime.InteropServices;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>
    /// A column of a batch: a .NET array (or a part of one) passed to the C library without a
    /// copy (the array is pinned for the duration of the call), or memory the caller already
    /// holds (a pointer and a length). Arrays convert implicitly, so
    /// <c>aggregator.AddArrays(sex, intervention, inWork, hours)</c> works with byte[] sex etc.
    /// </summary>
    /// <remarks>
    /// Element types (those of the C ABI, docs/c-abi.md): codes byte[], ushort[], int[];
    /// outcomes byte[], int[] (bool[] is converted to bytes: a copy); numerics double[], float[],
    /// and long[] grid units for decimal measures; person ids uint[], ulong[], byte[][] or
    /// string[] (UTF-8; these two are packed into one buffer: a copy). ArraySegment&lt;T&gt; gives
    /// a part of an array without a copy (the .NET Standard 2.0 stand-in for Span&lt;T&gt;).
    /// </remarks>
    public struct Column
    {
        internal readonly ColumnType Type;
        internal readonly Array Array;       // managed array to pin (null for a pointer column)
        internal readonly long Offset;       // in elements
        internal readonly long Length;
        internal readonly IntPtr Pointer;    // for pointer columns
        internal readonly byte[][] ByteStrings;

        Column(ColumnType type, Array array, long offset, long length, IntPtr pointer, byte[][] strings)
        {
            Type = type;
            Array = array;
            Offset = offset;
            Length = length;
            Pointer = pointer;
            ByteStrings = strings;
        }

        static Column Of(ColumnType type, Array array, string argument)
        {
            if (array == null) throw new ArgumentNullException(argument, "jamstat: a column is null");
            return new Column(type, array, 0, array.LongLength, IntPtr.Zero, null);
        }

        static Column Slice(ColumnType type, Array array, int offset, int count)
        {
            if (array == null) throw new ArgumentNullException("array", "jamstat: a column is null");
            if (offset < 0 || count < 0 || offset > array.Length - count)
                throw new ArgumentOutOfRangeException("count", "jamstat: column slice [" + offset + ", " + offset + " + " + count +
                                                               ") is outside the array of " + array.Length);
            return new Column(type, array, offset, count, IntPtr.Zero, null);
        }

        /// <summary>Number of values.</summary>
        public long Count { get { return Length; } }

        /// <summary>The element type as the C ABI sees it.</summary>
        public ColumnType ElementType { get { return Type; } }

        /// <summary>U8 codes or outcomes (zero copy).</summary>
        public static implicit operator Column(byte[] values) { return Of(ColumnType.U8, values, "values"); }
        /// <summary>U16 codes (zero copy).</summary>
        public static implicit operator Column(ushort[] values) { return Of(ColumnType.U16, values, "values"); }
        /// <summary>I32 codes or outcomes (zero copy).</summary>
        public static implicit operator Column(int[] values) { return Of(ColumnType.I32, values, "values"); }
        /// <summary>U32 person ids (zero copy).</summary>
        public static implicit operator Column(uint[] values) { return Of(ColumnType.U32, values, "values"); }
        /// <summary>U64 person ids (zero copy).</summary>
        public static implicit operator Column(ulong[] values) { return Of(ColumnType.U64, values, "values"); }
        /// <summary>I64 grid units of a decimal measure (zero copy).</summary>
        public static implicit operator Column(long[] values) { return Of(ColumnType.I64, values, "values"); }
        /// <summary>F32 numerics (zero copy).</summary>
        public static implicit operator Column(float[] values) { return Of(ColumnType.F32, values, "values"); }
        /// <summary>F64 numerics (zero copy).</summary>
        public static implicit operator Column(double[] values) { return Of(ColumnType.F64, values, "values"); }

        /// <summary>Outcomes as bool: converted to a byte column (false 0, true 1; a copy).</summary>
        public static implicit operator Column(bool[] values)
        {
            if (values == null) throw new ArgumentNullException("values", "jamstat: a column is null");
            var b = new byte[values.Length];
            for (int i = 0; i < values.Length; ++i) b[i] = values[i] ? (byte)1 : (byte)0;
            return Of(ColumnType.U8, b, "values");
        }

        /// <summary>Byte-string person ids (packed into one buffer at the call: a copy of the bytes).</summary>
        public static implicit operator Column(byte[][] personIds)
        {
            if (personIds == null) throw new ArgumentNullException("personIds", "jamstat: a column is null");
            for (int i = 0; i < personIds.Length; ++i)
                if (personIds[i] == null) throw new ArgumentNullException("personIds", "jamstat: person id " + i + " is null");
            return new Column(ColumnType.Bytes, null, 0, personIds.LongLength, IntPtr.Zero, personIds);
        }

        /// <summary>Text person ids, encoded as UTF-8 (a copy; an empty id is missing).</summary>
        public static implicit operator Column(string[] personIds)
        {
            if (personIds == null) throw new ArgumentNullException("personIds", "jamstat: a column is null");
            var b = new byte[personIds.Length][];
            for (int i = 0; i < personIds.Length; ++i)
            {
                if (personIds[i] == null) throw new ArgumentNullException("personIds", "jamstat: person id " + i + " is null");
                b[i] = Utf8.EncodeBytes(personIds[i], "personIds[" + i + "]");
            }
            return new Column(ColumnType.Bytes, null, 0, b.LongLength, IntPtr.Zero, b);
        }

        /// <summary>Person ids from parsed numbers, each hashed as its canonical 12 digits (a copy).</summary>
        public static implicit operator Column(Personnummer[] personIds)
        {
            if (personIds == null) throw new ArgumentNullException("personIds", "jamstat: a column is null");
            var b = new byte[personIds.Length][];
            for (int i = 0; i < personIds.Length; ++i)
            {
                if (personIds[i] == null) throw new ArgumentNullException("personIds", "jamstat: person id " + i + " is null");
                b[i] = personIds[i].CanonicalBytes;
            }
            return new Column(ColumnType.Bytes, null, 0, b.LongLength, IntPtr.Zero, b);
        }

        /// <summary>Part of a byte array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<byte> s) { return Slice(ColumnType.U8, s.Array, s.Offset, s.Count); }
        /// <summary>Part of a ushort array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<ushort> s) { return Slice(ColumnType.U16, s.Array, s.Offset, s.Count); }
        /// <summary>Part of an int array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<int> s) { return Slice(ColumnType.I32, s.Array, s.Offset, s.Count); }
        /// <summary>Part of a uint array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<uint> s) { return Slice(ColumnType.U32, s.Array, s.Offset, s.Count); }
        /// <summary>Part of a ulong array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<ulong> s) { return Slice(ColumnType.U64, s.Array, s.Offset, s.Count); }
        /// <summary>Part of a long array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<long> s) { return Slice(ColumnType.I64, s.Array, s.Offset, s.Count); }
        /// <summary>Part of a float array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<float> s) { return Slice(ColumnType.F32, s.Array, s.Offset, s.Count); }
        /// <summary>Part of a double array (zero copy).</summary>
        public static implicit operator Column(ArraySegment<double> s) { return Slice(ColumnType.F64, s.Array, s.Offset, s.Count); }

        /// <summary>
        /// A column in memory the caller holds (native memory, or an array it pinned itself):
        /// <paramref name="length"/> values of <paramref name="type"/> at <paramref name="data"/>,
        /// aligned to their size. The memory must stay valid during the call. For BYTES the data
        /// are <paramref name="length"/> jamstat_bytes.
        /// </summary>
        public static Column FromPointer(ColumnType type, IntPtr data, long length)
        {
            if (length < 0) throw new ArgumentOutOfRangeException("length", length, "jamstat: a column's length must not be negative");
            return new Column(type, null, 0, length, data, null);
        }

        internal static int ElementSize(ColumnType type)
        {
            switch (type)
            {
                case ColumnType.U8: return 1;
                case ColumnType.U16: return 2;
                case ColumnType.I32:
                case ColumnType.U32:
                case ColumnType.F32: return 4;
                case ColumnType.U64:
                case ColumnType.I64:
                case ColumnType.F64: return 8;
                default: return 0;
            }
        }
    }

    /// <summary>Pins the arrays of a set of columns and fills the C jamstat_array descriptors.</summary>
    internal sealed unsafe class PinnedColumns : IDisposable
    {
        readonly GCHandle[] pins;
        GCHandle bytesPin;
        GCHandle blobPin;

        internal PinnedColumns(Column[] columns, jamstat_array* arrays)
        {
            pins = new GCHandle[columns.Length];
            try
            {
                for (int i = 0; i < columns.Length; ++i)
                {
                    Column c = columns[i];
                    arrays[i].type = (uint)c.Type;
                    arrays[i].flags = 0;
                    arrays[i].length = (ulong)c.Length;
                    if (c.ByteStrings != null)
                        arrays[i].data = PackByteStrings(c.ByteStrings);
                    else if (c.Array != null)
                    {
                        pins[i] = GCHandle.Alloc(c.Array, GCHandleType.Pinned);
                        arrays[i].data = (byte*)pins[i].AddrOfPinnedObject() + c.Offset * Column.ElementSize(c.Type);
                    }
                    else
                        arrays[i].data = (void*)c.Pointer;
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        // One BYTES column per batch (person ids): the strings go into one pinned buffer and a
        // pinned array of jamstat_bytes points into it.
        void* PackByteStrings(byte[][] strings)
        {
            if (bytesPin.IsAllocated) throw new ArgumentException("jamstat: only the person id column may hold byte strings");
            long total = 0;
            foreach (var s in strings) total += s.Length;
            var blob = new byte[Math.Max(total, 1)];
            var descriptors = new jamstat_bytes[strings.Length];
            blobPin = GCHandle.Alloc(blob, GCHandleType.Pinned);
            bytesPin = GCHandle.Alloc(descriptors, GCHandleType.Pinned);
            byte* b = (byte*)blobPin.AddrOfPinnedObject();
            long at = 0;
            for (int i = 0; i < strings.Length; ++i)
            {
                System.Buffer.BlockCopy(strings[i], 0, blob, checked((int)at), strings[i].Length);
                descriptors[i].data = b + at;
                descriptors[i].length = new UIntPtr((uint)strings[i].Length);
                at += strings[i].Length;
            }
            return (void*)bytesPin.AddrOfPinnedObject();
        }

        public void Dispose()
        {
            for (int i = 0; i < pins.Length; ++i)
                if (pins[i].IsAllocated) pins[i].Free();
            if (bytesPin.IsAllocated) bytesPin.Free();
            if (blobPin.IsAllocated) blobPin.Free();
        }
    }
}
