// A small self-checking test runner (no NUnit needed): every public static method marked
// [Test] in a class of namespace Jamstat.Tests is a test; the class name is its group.
// Usage: mono JamstatTests.exe [--library PATH] [GROUP...]
// Prints one line per test and the closing line "N passed, N failed"; exits 1 on any failure
// or when no test ran.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;

namespace Jamstat.Tests
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class TestAttribute : Attribute { }

    public sealed class AssertionException : Exception
    {
        public AssertionException(string message) : base(message) { }
    }

    public static class Assert
    {
        public static void True(bool condition, string what)
        {
            if (!condition) throw new AssertionException("expected: " + what);
        }

        public static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                throw new AssertionException(what + ": expected <" + expected + ">, got <" + actual + ">");
        }

        public static void SequenceEqual<T>(IList<T> expected, IList<T> actual, string what)
        {
            if (expected == null || actual == null)
            {
                if (expected != null || actual != null) throw new AssertionException(what + ": one of the sequences is null");
                return;
            }
            Equal(expected.Count, actual.Count, what + " (length)");
            for (int i = 0; i < expected.Count; ++i)
                if (!EqualityComparer<T>.Default.Equals(expected[i], actual[i]))
                    throw new AssertionException(what + "[" + i + "]: expected <" + expected[i] + ">, got <" + actual[i] + ">");
        }

        /// <summary>|expected - actual| &lt;= tolerance * max(1, |expected|) (NaN equals NaN).</summary>
        public static void Near(double expected, double actual, double tolerance, string what)
        {
            if (double.IsNaN(expected) && double.IsNaN(actual)) return;
            if (!(Math.Abs(expected - actual) <= tolerance * Math.Max(1.0, Math.Abs(expected))))
                throw new AssertionException(what + ": expected " + expected.ToString("R", CultureInfo.InvariantCulture) +
                                             ", got " + actual.ToString("R", CultureInfo.InvariantCulture) + " (tolerance " + tolerance + ")");
        }

        public static T Throws<T>(Action action, string what) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new AssertionException(what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
            }
            throw new AssertionException(what + ": expected " + typeof(T).Name + ", nothing was thrown");
        }

        public static void Contains(string expectedPart, string actual, string what)
        {
            if (actual == null || actual.IndexOf(expectedPart, StringComparison.Ordinal) < 0)
                throw new AssertionException(what + ": expected a text containing \"" + expectedPart + "\", got \"" + actual + "\"");
        }
    }

    public static class Program
    {
        public static int Main(string[] args)
        {
            var groups = new List<string>();
            if (args.Length > 0 && args[0] == "--check-groups") return CheckGroups(args);
            for (int i = 0; i < args.Length; ++i)
            {
                if (args[i] == "--library" && i + 1 < args.Length) Library.Load(args[++i]);
                else groups.Add(args[i]);
            }
            int passed = 0, failed = 0;
            var types = new List<Type>(typeof(Program).Assembly.GetTypes());
            types.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var type in types)
            {
                if (type.Namespace != "Jamstat.Tests") continue;
                if (groups.Count > 0 && !groups.Contains(type.Name)) continue;
                var methods = new List<MethodInfo>(type.GetMethods(BindingFlags.Public | BindingFlags.Static));
                methods.Sort((a, b) => a.MetadataToken.CompareTo(b.MetadataToken));
                foreach (var m in methods)
                {
                    if (m.GetCustomAttributes(typeof(TestAttribute), false).Length == 0) continue;
                    string name = type.Name + "." + m.Name;
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    try
                    {
                        m.Invoke(null, null);
                        ++passed;
                        Console.WriteLine("ok     " + name + " (" + watch.ElapsedMilliseconds + " ms)");
                    }
                    catch (TargetInvocationException e)
                    {
                        ++failed;
                        Console.WriteLine("FAILED " + name + ": " + e.InnerException);
                    }
                }
            }
            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 && passed > 0 ? 0 : 1;
        }

        // The groups ctest registers (bindings/dotnet/tests.cmake) must be every test class.
        static int CheckGroups(string[] args)
        {
            var registered = new List<string>(args);
            registered.RemoveAt(0);
            int missing = 0;
            foreach (var type in typeof(Program).Assembly.GetTypes())
            {
                if (type.Namespace != "Jamstat.Tests") continue;
                bool hasTests = false;
                foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
                    if (m.GetCustomAttributes(typeof(TestAttribute), false).Length > 0) hasTests = true;
                if (hasTests && !registered.Contains(type.Name))
                {
                    Console.WriteLine("test class " + type.Name + " is not registered in bindings/dotnet/tests.cmake");
                    ++missing;
                }
            }
            Console.WriteLine(missing == 0 ? "every test class is registered" : missing + " test classes not registered");
            return missing == 0 ? 0 : 1;
        }
    }
}
