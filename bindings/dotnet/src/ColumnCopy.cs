using System;

namespace Jamstat
{
    /// <summary>
    /// Copies of C columns (owned by a table or report) into managed arrays, so that the results
    /// stay valid after the handle is disposed. A NULL column (a field this library version does
    /// not fill, or persons not counted) becomes null.
    /// </summary>
    internal static unsafe class ColumnCopy
    {
        internal static int[] Values(int* p, long n)
        {
            if (p == null) return null;
            var a = new int[n];
            fixed (int* d = a) Buffer.MemoryCopy(p, d, n * sizeof(int), n * sizeof(int));
            return a;
        }

        internal static uint[] Values(uint* p, long n)
        {
            if (p == null) return null;
            var a = new uint[n];
            fixed (uint* d = a) Buffer.MemoryCopy(p, d, n * sizeof(uint), n * sizeof(uint));
            return a;
        }

        internal static long[] Values(long* p, long n)
        {
            if (p == null) return null;
            var a = new long[n];
            fixed (long* d = a) Buffer.MemoryCopy(p, d, n * sizeof(long), n * sizeof(long));
            return a;
        }

        internal static ulong[] Values(ulong* p, long n)
        {
            if (p == null) return null;
            var a = new ulong[n];
            fixed (ulong* d = a) Buffer.MemoryCopy(p, d, n * sizeof(ulong), n * sizeof(ulong));
            return a;
        }

        internal static double[] Values(double* p, long n)
        {
            if (p == null) return null;
            var a = new double[n];
            fixed (double* d = a) Buffer.MemoryCopy(p, d, n * sizeof(double), n * sizeof(double));
            return a;
        }

        internal static int[] Values(UIntPtr* p, long n)
        {
            if (p == null) return null;
            var a = new int[n];
            for (long i = 0; i < n; ++i) a[i] = checked((int)(ulong)p[i]);
            return a;
        }

        internal static string[] Strings(byte** p, long n)
        {
            if (p == null) return null;
            var a = new string[n];
            for (long i = 0; i < n; ++i) a[i] = Utf8.Decode(p[i]);
            return a;
        }
    }
}
