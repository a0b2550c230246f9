using System;
using System.IO;
using Jamstat.Fixtures;

namespace Jamstat.Tests
{
    public static class TableTests
    {
        static Aggregator Filled(Schema s, Data d)
        {
            var a = new Aggregator(s, Data.Persons());
            a.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
            return a;
        }

        [Test]
        public static void ReportingOrderPutsWomenFirst()
        {
            var d = Data.Make(3000, 21);
            using (var s = Data.Schema())
            using (var a = Filled(s, d))
            using (var t = a.Rollup(new[] { "intervention" }))
            {
                Assert.Equal(2, t.DimensionCount, "sex x intervention");
                Assert.Equal(0, t.Dimension(0), "sex first");
                Assert.Equal(1, t.Dimension(1), "then intervention");
                var c = t.Export();
                // Kvinnor, Män, Okänt, Ej tillämpligt; within each, intervention by level.
                int[] order = { 2, 1, 0, 9 };
                int rank = 0, lastLevel = -1;
                for (int i = 0; i < c.CellCount; ++i)
                {
                    int r = Array.IndexOf(order, c.LevelCodes[0][i]);
                    Assert.True(r >= rank, "sex in reporting order at cell " + i);
                    if (r > rank) lastLevel = -1;
                    rank = r;
                    Assert.True((int)c.LevelIndices[1][i] > lastLevel, "interventions by level index within a sex");
                    lastLevel = (int)c.LevelIndices[1][i];
                }
                Assert.Equal("Kvinnor", c.LabelsSv[0][0], "first label sv");
                Assert.Equal("Women", c.LabelsEn[0][0], "first label en");
                Assert.Equal("Coachning", c.LabelsSv[1][0], "intervention label sv");
                Assert.Equal("Coaching", c.Labels(Language.English)[1][0], "intervention label en");
                // Table order: by level indices in schema order (sex index 0 Okänt first).
                var plain = t.Export(false);
                Assert.Equal(0, plain.LevelCodes[0][0], "table order starts with Okänt");
                Assert.Equal(c.CellCount, plain.CellCount, "same cells");
            }
        }

        [Test]
        public static void ExportAgreesWithTheCellAccessors()
        {
            var d = Data.Make(2000, 22);
            using (var s = Data.Schema())
            using (var a = Filled(s, d))
            using (var t = a.Rollup(2, 0))  // region x sex, in this order
            {
                Assert.Equal(2, t.Dimension(0), "region first, as asked");
                var c = t.Export(false);
                Assert.SequenceEqual(new[] { 2, 0 }, c.Dimensions, "dimensions in the caller's order");
                Assert.Equal(t.CellCount, c.CellCount, "cell count");
                for (int i = 0; i < c.CellCount; ++i)
                {
                    var region = t.CellLevel(i, 0, Language.English);
                    var sex = t.CellLevel(i, 1);
                    Assert.Equal(c.LevelCodes[0][i], region.Code, "region code");
                    Assert.Equal(c.LabelsEn[0][i], region.LabelEn, "region label");
                    Assert.Equal(c.LevelCodes[1][i], sex.Code, "sex code");
                    Assert.Equal(c.LabelsSv[1][i], sex.LabelSv, "sex label");
                    var counts = t.Counts(i);
                    Assert.Equal(c.Participations[i], counts.Participations, "participations");
                    Assert.Equal(c.Persons[i], counts.Persons.Value, "persons");
                    Assert.Equal(c.Successes[0][i], t.Successes(i, 0), "successes");
                    Assert.Near((double)c.Successes[0][i] / c.Participations[i], t.Proportion(i, 0), 1e-15, "proportion");
                    var n = t.Numeric(i, 0);
                    Assert.Equal(c.Measures[0].Mean[i], n.Mean, "mean");
                    Assert.Equal(c.Measures[0].SecondMax[i], n.SecondMax, "second max");
                    Assert.Equal(i, t.Find((uint)region.Index, (uint)sex.Index), "find");
                }
                Assert.Throws<JamstatException>(() => t.Find(0), "one level for two dimensions");
                Assert.Throws<ArgumentOutOfRangeException>(() => t.Counts(-1), "a negative cell");
                var e = Assert.Throws<JamstatException>(() => t.Counts(c.CellCount), "a cell past the end");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
            }
        }

        [Test]
        public static void CubeTotalAndLifetimes()
        {
            var d = Data.Make(1500, 23);
            Table total, byRegion;
            using (var s = Data.Schema())
            {
                var a = Filled(s, d);
                using (var cube = a.Cube())
                {
                    Assert.Equal(8L, cube.TableCount, "2^3 tables");
                    using (var fromCube = cube.TableOf(0, 2))
                    using (var direct = a.Rollup(0, 2))
                    {
                        var x = fromCube.Export();
                        var y = direct.Export();
                        Assert.SequenceEqual(y.Participations, x.Participations, "cube table = roll-up");
                        Assert.SequenceEqual(y.Persons, x.Persons, "persons too");
                    }
                    byRegion = cube.Table(1UL << 2);
                    total = a.Total();
                }
                a.Dispose();
            }
            // Tables outlive the cube, the aggregator and the schema.
            using (total)
            using (byRegion)
            {
                Assert.Equal(1, total.CellCount, "the total has one cell");
                Assert.Equal(0, total.DimensionCount, "and no dimension");
                Assert.Equal((ulong)d.Rows, total.Counts(0).Participations, "every row");
                var c = byRegion.Export();
                Assert.Equal(3, c.CellCount, "three regions");
                ulong sum = 0;
                foreach (var p in c.Participations) sum += p;
                Assert.Equal((ulong)d.Rows, sum, "the regions add up");
                var persons = new System.Collections.Generic.HashSet<uint>(d.PersonId);
                Assert.Equal((ulong)persons.Count, total.Counts(0).Persons.Value, "distinct persons in the total");
            }
        }

        [Test]
        public static void EmptyAggregatorTotal()
        {
            using (var s = Data.Schema())
            using (var a = new Aggregator(s))
            using (var t = a.Total())
            {
                Assert.Equal(1, t.CellCount, "one cell even when empty");
                Assert.Equal(0UL, t.Counts(0).Participations, "no participations");
                Assert.True(t.Counts(0).Persons == null, "persons not counted");
                Assert.True(double.IsNaN(t.Numeric(0, 0).Mean), "mean of nothing is NaN");
            }
        }
    }

    public static class StateTests
    {
        [Test]
        public static void SerializeDeserializeRoundTrip()
        {
            var d = Data.Make(2500, 31);
            using (var s = Data.Schema())
            using (var a = new Aggregator(s, Data.Persons()))
            {
                a.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
                var state = a.Serialize();
                Assert.Equal(a.SerializedSize, (long)state.Length, "size query = bytes written");
                using (var b = Aggregator.Deserialize(state))
                {
                    Assert.SequenceEqual(state, b.Serialize(), "the same bytes again");
                    AggregationTests.CheckAgainstReference(b, d, true);
                    var e = Assert.Throws<JamstatException>(() => b.Add(new[] { 2, 1, 10 }, new[] { 1 }, new[] { 1.0 }, PersonId.Of(1)), "adding without the key");
                    Assert.True(e.Status == Status.ErrorInvalidArgument || e.Status == Status.ErrorNotAvailable, "refused: " + e.Status);
                }
                using (var c = Aggregator.Deserialize(state, Data.Persons()))
                {
                    c.Add(new[] { 2, 1, 10 }, new[] { 1 }, new[] { 1.0 }, PersonId.Of(1));
                    Assert.Equal((ulong)d.Rows + 1, c.Participations, "added after reading, with the key");
                }
                using (var sch = a.GetSchema())
                    Assert.Equal(s.Fingerprint, sch.Fingerprint, "the aggregator's schema");
            }
        }

        [Test]
        public static void SaveLoadFiles()
        {
            var d = Data.Make(300, 32);
            string path = Path.Combine(Path.GetTempPath(), "jamstat-dotnet-" + Guid.NewGuid().ToString("N") + ".state");
            try
            {
                using (var s = Data.Schema())
                using (var a = new Aggregator(s, Data.Persons()))
                {
                    a.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
                    a.Save(path);
                    using (var b = Aggregator.Load(path))
                        Assert.SequenceEqual(a.Serialize(), b.Serialize(), "saved and loaded");
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Test]
        public static void DamagedStatesAreRefused()
        {
            using (var s = Data.Schema())
            using (var a = new Aggregator(s))
            {
                a.AddArrays(new byte[] { 2, 1 }, new ushort[] { 1, 2 }, new[] { 10, 20 }, new byte[] { 1, 0 }, new[] { 1.5, 2.5 });
                var state = a.Serialize();
                var e = Assert.Throws<JamstatException>(() => Aggregator.Deserialize(new byte[] { 1, 2, 3 }), "not a state");
                Assert.Equal(Status.ErrorStateFormat, e.Status, "status");
                var cut = new byte[state.Length - 5];
                Array.Copy(state, cut, cut.Length);
                e = Assert.Throws<JamstatException>(() => Aggregator.Deserialize(cut), "a truncated state");
                Assert.Equal(Status.ErrorStateFormat, e.Status, "status");
                Assert.Contains("truncated", e.Message, "message");
                Assert.Throws<JamstatException>(() => Aggregator.Deserialize(new byte[0]), "no bytes");
            }
        }
    }
}
