// bindings_dotnet.cs -- the .NET side of bench/bindings_dotnet.sh: bulk add of the canonical
// columns (jamstat generate N DIR) from .NET arrays through Aggregator.AddArrays, with the same
// schema, chunking and repetitions as bench/bindings_dotnet_c.c (the C ABI's own speed).
//
// Usage: mono bindings_dotnet.exe DIR [REPS] [CHUNK_ROWS]
// Prints one line per run: "dotnet persons|plain chunk=N seconds S participations P".
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Jamstat;

public static class BindingsDotnetBench
{
    static readonly string[] Dims = { "age_band", "birth_region", "education", "intervention" };

    static T[] Read<T>(string dir, string name, int size) where T : struct
    {
        var bytes = File.ReadAllBytes(Path.Combine(dir, name));
        var values = new T[bytes.Length / size];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    public static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: bindings_dotnet.exe DIR [REPS] [CHUNK_ROWS]");
            return 2;
        }
        string dir = args[0];
        int reps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        byte[] sex = File.ReadAllBytes(Path.Combine(dir, "sex.u8"));
        var codes = new byte[4][];
        for (int d = 0; d < 4; ++d) codes[d] = File.ReadAllBytes(Path.Combine(dir, Dims[d] + ".u8"));
        byte[] outcome = File.ReadAllBytes(Path.Combine(dir, "outcome.u8"));
        double[] hours = Read<double>(dir, "hours.f64", 8);
        uint[] person = Read<uint>(dir, "person_id.u32", 4);
        int n = sex.Length;
        int chunk = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : n;
        if (chunk <= 0) chunk = n;

        // The schema: each dimension's codes 0..max of the data (as bindings_dotnet_c.c).
        Schema schema;
        using (var b = new SchemaBuilder())
        {
            for (int d = 0; d < 4; ++d)
            {
                int max = 0;
                foreach (var c in codes[d]) if (c > max) max = c;
                var levels = new int[max + 1];
                var labels = new string[max + 1];
                for (int c = 0; c <= max; ++c)
                {
                    levels[c] = c;
                    labels[c] = "level";
                }
                b.AddDimension(Dims[d], levels, labels, labels);
            }
            schema = b.AddOutcome("outcome").AddNumeric("hours", "h").Build();
        }

        var key = new byte[16];
        for (int k = 0; k < 16; ++k) key[k] = (byte)(k + 1);
        for (int withPersons = 1; withPersons >= 0; --withPersons)
        {
            for (int r = 0; r < reps; ++r)
            {
                var options = withPersons == 1 ? new AggregatorOptions { CountPersons = true, PersonKey = key } : null;
                using (var a = new Aggregator(schema, options))
                {
                    var watch = Stopwatch.StartNew();
                    for (int at = 0; at < n; at += chunk)
                    {
                        int rows = Math.Min(chunk, n - at);
                        if (rows == n)
                        {
                            // Whole arrays: the implicit conversions, as a user writes it.
                            if (withPersons == 1) a.AddArrays(sex, codes[0], codes[1], codes[2], codes[3], outcome, hours, person);
                            else a.AddArrays(sex, codes[0], codes[1], codes[2], codes[3], outcome, hours);
                        }
                        else if (withPersons == 1)
                            a.AddArrays(new ArraySegment<byte>(sex, at, rows), new ArraySegment<byte>(codes[0], at, rows),
                                        new ArraySegment<byte>(codes[1], at, rows), new ArraySegment<byte>(codes[2], at, rows),
                                        new ArraySegment<byte>(codes[3], at, rows), new ArraySegment<byte>(outcome, at, rows),
                                        new ArraySegment<double>(hours, at, rows), new ArraySegment<uint>(person, at, rows));
                        else
                            a.AddArrays(new ArraySegment<byte>(sex, at, rows), new ArraySegment<byte>(codes[0], at, rows),
                                        new ArraySegment<byte>(codes[1], at, rows), new ArraySegment<byte>(codes[2], at, rows),
                                        new ArraySegment<byte>(codes[3], at, rows), new ArraySegment<byte>(outcome, at, rows),
                                        new ArraySegment<double>(hours, at, rows));
                    }
                    watch.Stop();
                    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "dotnet {0} chunk={1} seconds {2:0.000000} participations {3}",
                                                    withPersons == 1 ? "persons" : "plain", chunk, watch.Elapsed.TotalSeconds, a.Participations));
                }
            }
        }
        // Per-record adds (Aggregator.Add) of the first million rows, without persons.
        using (var a = new Aggregator(schema))
        {
            int m = Math.Min(n, 1000000);
            var c = new int[5];
            var o = new int[1];
            var h = new double[1];
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < m; ++i)
            {
                c[0] = sex[i];
                c[1] = codes[0][i];
                c[2] = codes[1][i];
                c[3] = codes[2][i];
                c[4] = codes[3][i];
                o[0] = outcome[i];
                h[0] = hours[i];
                a.Add(c, o, h);
            }
            watch.Stop();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "dotnet record per_record seconds {0:0.000000000} participations {1}",
                                            watch.Elapsed.TotalSeconds / m, m));
        }
        schema.Dispose();
        return 0;
    }
}
