using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Jamstat.Fixtures;

namespace Jamstat.Tests
{
    public static class AggregationTests
    {
        /// <summary>Checks a sex x intervention roll-up against the C# reference computation.</summary>
        internal static void CheckAgainstReference(Aggregator a, Data d, bool persons)
        {
            var expected = d.BySexAndIntervention();
            using (var t = a.Rollup(new[] { "intervention" }))
            {
                var c = t.Export(false);
                Assert.Equal(expected.Count, c.CellCount, "non-empty cells");
                Assert.SequenceEqual(new[] { 0, 1 }, c.Dimensions, "dimensions sex, intervention");
                ulong total = 0;
                for (int i = 0; i < c.CellCount; ++i)
                {
                    var k = new KeyValuePair<int, int>(c.LevelCodes[0][i], c.LevelCodes[1][i]);
                    Data.Cell e;
                    Assert.True(expected.TryGetValue(k, out e), "cell " + k + " exists in the data");
                    string at = "cell sex " + k.Key + " intervention " + k.Value;
                    Assert.Equal(e.Participations, c.Participations[i], at + " participations");
                    Assert.Equal(e.Successes, c.Successes[0][i], at + " in work");
                    var h = c.Measures[0];
                    Assert.Equal((ulong)e.Hours.Count, h.Count[i], at + " hours count");
                    Assert.Near(e.Sum, h.Sum[i], 1e-12, at + " hours sum");
                    Assert.Near(e.Mean, h.Mean[i], 1e-12, at + " hours mean");
                    Assert.Near(e.Variance, h.Variance[i], 1e-9, at + " hours variance");
                    Assert.Near(Math.Sqrt(e.Variance), h.Sd[i], 1e-9, at + " hours sd");
                    Assert.Equal(e.Min, h.Min[i], at + " hours min");
                    Assert.Equal(e.Max, h.Max[i], at + " hours max");
                    if (persons) Assert.Equal((ulong)e.Persons.Count, c.Persons[i], at + " persons");
                    else Assert.True(c.Persons == null, "no persons column when persons are not counted");
                    total += c.Participations[i];
                }
                Assert.Equal((ulong)d.Rows, total, "every row in one cell");
            }
            Assert.Equal((ulong)d.Rows, a.Participations, "participations");
        }

        [Test]
        public static void BatchFromArraysEqualsTheReference()
        {
            var d = Data.Make(5000, 11);
            using (var s = Data.Schema())
            using (var a = new Aggregator(s, Data.Persons()))
            {
                var r = a.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
                Assert.Equal((ulong)d.Rows, r.Accepted, "accepted");
                Assert.Equal(0UL, r.Rejected, "rejected");
                Assert.Equal(0, r.BadRows.Count, "no bad rows");
                Assert.Equal("", r.FirstRejectedMessage, "no message");
                CheckAgainstReference(a, d, true);
            }
        }

        [Test]
        public static void PerRecordAddEqualsTheReference()
        {
            var d = Data.Make(800, 12);
            using (var s = Data.Schema())
            using (var a = new Aggregator(s, Data.Persons()))
            {
                var codes = new int[3];
                var outcomes = new int[1];
                var numerics = new double[1];
                for (int i = 0; i < d.Rows; ++i)
                {
                    codes[0] = d.Sex[i];
                    codes[1] = d.Intervention[i];
                    codes[2] = d.Region[i];
                    outcomes[0] = d.InWork[i];
                    numerics[0] = d.Hours[i];
                    // Person ids three ways, all hashed as the same person: the integer, and as
                    // text / bytes for odd rows of a second aggregator below.
                    Assert.True(a.Add(codes, outcomes, numerics, PersonId.Of((ulong)d.PersonId[i])), "added");
                }
                CheckAgainstReference(a, d, true);
            }
        }

        [Test]
        public static void ColumnKindsAndSlicesGiveTheSameState()
        {
            var d = Data.Make(3000, 13);
            int half = d.Rows / 2;
            using (var s = Data.Schema())
            using (var whole = new Aggregator(s, Data.Persons()))
            using (var parts = new Aggregator(s, Data.Persons()))
            using (var widened = new Aggregator(s, Data.Persons()))
            {
                whole.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
                // Two slices of the same arrays (ArraySegment: no copy).
                for (int at = 0; at < d.Rows; at += half)
                {
                    int n = Math.Min(half, d.Rows - at);
                    parts.AddArrays(new ArraySegment<byte>(d.Sex, at, n), new ArraySegment<ushort>(d.Intervention, at, n),
                                    new ArraySegment<int>(d.Region, at, n), new ArraySegment<byte>(d.InWork, at, n),
                                    new ArraySegment<double>(d.Hours, at, n), new ArraySegment<uint>(d.PersonId, at, n));
                }
                // Other element types: int codes, bool outcomes, float-free doubles, ulong ids, and
                // native memory given by pointer.
                var sex = new int[d.Rows];
                var inWork = new bool[d.Rows];
                var ids = new ulong[d.Rows];
                for (int i = 0; i < d.Rows; ++i)
                {
                    sex[i] = d.Sex[i];
                    inWork[i] = d.InWork[i] != 0;
                    ids[i] = d.PersonId[i];
                }
                IntPtr hours = Marshal.AllocHGlobal(d.Rows * sizeof(double));
                try
                {
                    Marshal.Copy(d.Hours, 0, hours, d.Rows);
                    widened.AddArrays(sex, d.Intervention, d.Region, inWork, Column.FromPointer(ColumnType.F64, hours, d.Rows), ids);
                }
                finally
                {
                    Marshal.FreeHGlobal(hours);
                }
                // Floating sums are exact up to docs/engine.md's bound, not byte for byte across
                // chunkings: the sliced batches are checked against the reference.
                CheckAgainstReference(parts, d, true);
                var expected = whole.Serialize();
                // Integer ids of another width hash the same 8 little-endian bytes: same persons.
                CheckAgainstReference(widened, d, true);
                Assert.SequenceEqual(expected, widened.Serialize(), "other column types: same state bytes");
            }
        }

        [Test]
        public static void ColumnsByName()
        {
            var d = Data.Make(500, 14);
            using (var s = Data.Schema())
            using (var a = new Aggregator(s, Data.Persons()))
            {
                a.AddColumns(new Dictionary<string, Column>
                {
                    { "person_id", d.PersonId }, { "hours", d.Hours }, { "in_work", d.InWork },
                    { "region", d.Region }, { "intervention", d.Intervention }, { "sex", d.Sex },
                });
                CheckAgainstReference(a, d, true);
                Assert.Throws<ArgumentException>(() => a.AddColumns(new Dictionary<string, Column> { { "sex", d.Sex } }), "missing columns");
                var e = Assert.Throws<ArgumentException>(() => a.AddColumns(new Dictionary<string, Column>
                {
                    { "person_id", d.PersonId }, { "hours", d.Hours }, { "in_work", d.InWork }, { "region", d.Region },
                    { "intervention", d.Intervention }, { "sex", d.Sex }, { "extra", d.Sex },
                }), "an unknown column");
                Assert.Contains("extra", e.Message, "names it");
            }
        }

        [Test]
        public static void TextAndBytePersonIds()
        {
            using (var s = Data.Schema())
            using (var a = new Aggregator(s, Data.Persons()))
            using (var b = new Aggregator(s, Data.Persons()))
            {
                var sex = new byte[] { 2, 2, 1, 2 };
                var iv = new ushort[] { 1, 1, 1, 2 };
                var region = new int[] { 10, 10, 20, 30 };
                var work = new byte[] { 1, 0, 1, 1 };
                var hours = new double[] { 1, 2, 3, 4 };
                a.AddArrays(sex, iv, region, work, hours, new[] { "19800101-1234", "19800101-1234", "Åsa", "Åsa" });
                b.AddArrays(sex, iv, region, work, hours, new[]
                {
                    System.Text.Encoding.UTF8.GetBytes("19800101-1234"), System.Text.Encoding.UTF8.GetBytes("19800101-1234"),
                    System.Text.Encoding.UTF8.GetBytes("Åsa"), System.Text.Encoding.UTF8.GetBytes("Åsa"),
                });
                Assert.SequenceEqual(a.Serialize(), b.Serialize(), "text ids are their UTF-8 bytes");
                using (var t = a.Total())
                    Assert.Equal(2UL, t.Counts(0).Persons.Value, "two distinct persons");
                a.Add(new[] { 2, 1, 10 }, new[] { 1 }, new[] { 5.0 }, PersonId.Of("Åsa"));
                using (var t = a.Total())
                {
                    Assert.Equal(2UL, t.Counts(0).Persons.Value, "a per-record text id of the same person");
                    Assert.Equal(5UL, t.Counts(0).Participations, "five participations");
                }
            }
        }

        [Test]
        public static void DecimalMeasureFromGridUnits()
        {
            using (var b = new SchemaBuilder())
            {
                b.AddMeasure(new MeasureDefinition("cost") { Kind = MeasureKind.Decimal, Decimals = 2, OffGrid = OffGridPolicy.Round });
                using (var s = b.Build())
                using (var a = new Aggregator(s))
                {
                    a.AddArrays(new byte[] { 2, 2, 1 }, new long[] { 26554, 10001, 3 });  // 265.54, 100.01, 0.03
                    a.Add(new[] { 1 }, null, new[] { 0.004 });  // off the grid: rounded to 0.00, and counted
                    Assert.Equal(1UL, a.RoundedValues(0), "one value rounded");
                    using (var t = a.Rollup(0))
                    {
                        var c = t.Export();
                        Assert.Equal(2, c.LevelCodes[0][0], "women first");
                        Assert.Equal(365.55, c.Measures[0].Sum[0], "exact decimal sum of women");
                        Assert.Equal(0.03, c.Measures[0].Sum[1], "men: 0.03 + 0.00");
                        Assert.Equal(MeasureKind.Decimal, t.Numeric(0, 0).Kind, "kind");
                        Assert.Equal(2, t.Numeric(0, 0).Decimals, "decimals");
                    }
                }
            }
        }

        [Test]
        public static void AnonymousParticipantsAndMerge()
        {
            var d = Data.Make(2000, 15);
            int half = 1000;
            using (var s = Data.Schema())
            using (var all = new Aggregator(s, Data.Persons()))
            using (var first = new Aggregator(s, Data.Persons()))
            using (var second = new Aggregator(s, Data.Persons()))
            {
                all.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
                first.AddArrays(new ArraySegment<byte>(d.Sex, 0, half), new ArraySegment<ushort>(d.Intervention, 0, half),
                                new ArraySegment<int>(d.Region, 0, half), new ArraySegment<byte>(d.InWork, 0, half),
                                new ArraySegment<double>(d.Hours, 0, half), new ArraySegment<uint>(d.PersonId, 0, half));
                second.AddArrays(new ArraySegment<byte>(d.Sex, half, half), new ArraySegment<ushort>(d.Intervention, half, half),
                                 new ArraySegment<int>(d.Region, half, half), new ArraySegment<byte>(d.InWork, half, half),
                                 new ArraySegment<double>(d.Hours, half, half), new ArraySegment<uint>(d.PersonId, half, half));
                first.Merge(second);
                using (var t1 = all.Rollup(new[] { "intervention" }))
                using (var t2 = first.Rollup(new[] { "intervention" }))
                {
                    var c1 = t1.Export();
                    var c2 = t2.Export();
                    Assert.SequenceEqual(c1.Participations, c2.Participations, "merged participations");
                    Assert.SequenceEqual(c1.Persons, c2.Persons, "merged distinct persons");
                    Assert.SequenceEqual(c1.Successes[0], c2.Successes[0], "merged successes");
                }
                all.AddAnonymous(Sex.Female, 7);
                all.AddAnonymous(Sex.Male, 3);
                using (var t = all.Rollup(0))
                {
                    var c = t.Export();
                    Assert.Equal(7UL, c.AnonymousParticipants[0], "anonymous women (reporting order: women first)");
                    Assert.Equal(3UL, c.AnonymousParticipants[1], "anonymous men");
                }
                using (var t = all.Total())
                    Assert.Equal(10UL, t.Counts(0).AnonymousParticipants, "anonymous in the total");
                var e = Assert.Throws<JamstatException>(() => all.AddAnonymous(3, 1), "sex 3 is not ISO/IEC 5218");
                Assert.Equal(Status.ErrorBadRecord, e.Status, "status");
                Assert.Equal(RejectionReason.SexNotIso5218, e.Reason.Value, "reason");
                e = Assert.Throws<JamstatException>(() => all.AddAnonymous(Sex.Female, ulong.MaxValue), "a count past 2^64 - 1");
                Assert.Equal(Status.ErrorOverflow, e.Status, "overflow status");
                using (var t = all.Total())
                    Assert.Equal(10UL, t.Counts(0).AnonymousParticipants, "unchanged after the overflow");
                using (var other = Data.Schema())
                using (var b = new SchemaBuilder())
                using (var s2 = b.AddOutcome("x").Build())
                using (var stranger = new Aggregator(s2))
                {
                    e = Assert.Throws<JamstatException>(() => all.Merge(stranger), "merging another schema");
                    Assert.Equal(Status.ErrorSchemaMismatch, e.Status, "status");
                }
            }
        }
    }
}
