using System;
using System.Collections.Generic;

namespace Jamstat.Fixtures
{
    /// <summary>A small data set in columns, and the statistics computed from it in C# directly
    /// (the independent reference the binding's results are checked against).</summary>
    public sealed class Data
    {
        public static readonly int[] InterventionCodes = { 1, 2, 3 };
        public static readonly string[] InterventionSv = { "Coachning", "Praktik", "Förberedande utbildning" };
        public static readonly string[] InterventionEn = { "Coaching", "Placement", "Preparatory education" };
        public static readonly int[] RegionCodes = { 10, 20, 30 };
        public static readonly string[] RegionSv = { "Norr", "Mitt", "Söder" };
        public static readonly string[] RegionEn = { "North", "Middle", "South" };

        public byte[] Sex;
        public ushort[] Intervention;
        public int[] Region;
        public byte[] InWork;
        public double[] Hours;
        public uint[] PersonId;
        public int Rows { get { return Sex.Length; } }

        /// <summary>Rows with sex 0, 1, 2, 9 (women and men most often), persons appearing 1-3 times.</summary>
        public static Data Make(int rows, int seed)
        {
            var r = new Random(seed);
            var d = new Data
            {
                Sex = new byte[rows], Intervention = new ushort[rows], Region = new int[rows],
                InWork = new byte[rows], Hours = new double[rows], PersonId = new uint[rows],
            };
            byte[] sexes = { 2, 2, 2, 1, 1, 1, 0, 9 };
            for (int i = 0; i < rows; ++i)
            {
                d.Sex[i] = sexes[r.Next(sexes.Length)];
                d.Intervention[i] = (ushort)InterventionCodes[r.Next(3)];
                d.Region[i] = RegionCodes[r.Next(3)];
                d.InWork[i] = (byte)(r.NextDouble() < (d.Sex[i] == 2 ? 0.4 : 0.5) ? 1 : 0);
                d.Hours[i] = Math.Round(r.NextDouble() * 400, 2) + (d.Sex[i] == 2 ? 0 : 15);
                d.PersonId[i] = (uint)(1 + r.Next(rows / 2 + 1));
            }
            return d;
        }

        public static Schema Schema()
        {
            using (var b = new SchemaBuilder())
            {
                return b.AddDimension("intervention", InterventionCodes, InterventionSv, InterventionEn)
                        .SetDimensionLabels("intervention", "Insats", "Intervention")
                        .AddDimension("region", RegionCodes, RegionSv, RegionEn)
                        .AddOutcome("in_work", "I arbete", "In work")
                        .AddNumeric("hours", "h", "Timmar", "Hours")
                        .Build();
            }
        }

        public static readonly byte[] Key = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

        public static AggregatorOptions Persons(BadRecordPolicy policy = BadRecordPolicy.Reject)
        {
            return new AggregatorOptions { CountPersons = true, PersonKey = Key, OnBadRecord = policy };
        }

        /// <summary>Reference statistics of one group of rows.</summary>
        public sealed class Cell
        {
            public ulong Participations;
            public ulong Successes;
            public readonly List<double> Hours = new List<double>();
            public readonly HashSet<uint> Persons = new HashSet<uint>();

            public double Sum { get { double s = 0; foreach (var h in Hours) s += h; return s; } }
            public double Mean { get { return Hours.Count == 0 ? double.NaN : Sum / Hours.Count; } }
            public double Variance
            {
                get
                {
                    if (Hours.Count < 2) return double.NaN;
                    double m = Mean, s = 0;
                    foreach (var h in Hours) s += (h - m) * (h - m);
                    return s / (Hours.Count - 1);
                }
            }
            public double Min { get { double m = double.PositiveInfinity; foreach (var h in Hours) m = Math.Min(m, h); return Hours.Count == 0 ? double.NaN : m; } }
            public double Max { get { double m = double.NegativeInfinity; foreach (var h in Hours) m = Math.Max(m, h); return Hours.Count == 0 ? double.NaN : m; } }
        }

        /// <summary>The rows grouped by sex and intervention code, computed here in C#.</summary>
        public Dictionary<KeyValuePair<int, int>, Cell> BySexAndIntervention()
        {
            var cells = new Dictionary<KeyValuePair<int, int>, Cell>();
            for (int i = 0; i < Rows; ++i)
            {
                var k = new KeyValuePair<int, int>(Sex[i], Intervention[i]);
                Cell c;
                if (!cells.TryGetValue(k, out c)) cells[k] = c = new Cell();
                c.Participations++;
                c.Successes += InWork[i];
                c.Hours.Add(Hours[i]);
                c.Persons.Add(PersonId[i]);
            }
            return cells;
        }
    }
}
