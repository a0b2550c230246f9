using System;
using System.Collections.Generic;
using Jamstat.Fixtures;

namespace Jamstat.Tests
{
    /// <summary>Disclosure control through the binding: what the C columns hold reaches C#
    /// unchanged, suppressed values never appear, published values equal the unprotected data
    /// (counted here in C#), the audit's intervals hold the true values, and the cell key noise
    /// does not depend on the order of merges. The methods themselves are tested in C++.</summary>
    public static class ProtectedTests
    {
        static readonly ulong[] Masks = { 3, 2, 1, 0 };  // sex x intervention, intervention, sex, total
        static readonly byte[] Secret = { 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115 };

        /// <summary>(sex, intervention code, persons) cells, one participation per person.</summary>
        static Data Cells(uint firstPerson, params int[][] cells)
        {
            var rows = 0;
            foreach (var c in cells) rows += c[2];
            var d = new Data { Sex = new byte[rows], Intervention = new ushort[rows], Region = new int[rows],
                               InWork = new byte[rows], Hours = new double[rows], PersonId = new uint[rows] };
            int i = 0;
            uint p = firstPerson;
            foreach (var c in cells)
                for (int k = 0; k < c[2]; ++k, ++i)
                {
                    d.Sex[i] = (byte)c[0];
                    d.Intervention[i] = (ushort)c[1];
                    d.Region[i] = 10;
                    d.InWork[i] = (byte)(i % 3 == 0 ? 1 : 0);
                    d.Hours[i] = 10 + i;
                    d.PersonId[i] = p++;
                }
            return d;
        }

        static Data Small() { return Cells(0, new[] { 2, 1, 12 }, new[] { 2, 2, 9 }, new[] { 1, 1, 10 }, new[] { 1, 2, 3 }); }

        static Aggregator Filled(Schema s, Data d)
        {
            var a = new Aggregator(s, Data.Persons());
            a.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
            return a;
        }

        [Test]
        public static void SmallCellsAreSuppressedAndPublishedValuesAreTrue()
        {
            var d = Small();
            var truth = d.BySexAndIntervention();
            using (var s = Data.Schema())
            using (var a = Filled(s, d))
            using (var p = a.ProtectedTables(new[] { new[] { "sex", "intervention" }, new[] { "intervention" }, new[] { "sex" }, new string[0] }))
            {
                Assert.Equal(4, p.Count, "groupings");
                Assert.SequenceEqual(new[] { "sex", "intervention" }, p.GroupingDimensions(0), "grouping 0");
                Assert.Equal(DisclosureMethod.CellSuppression, p.Method, "method");
                Assert.Equal("", p.Note, "no cell key note");
                var c = p.Grouping(0);
                Assert.Equal(12, c.CellCount, "4 sexes x 3 interventions");
                Assert.Equal("Kvinnor", c.LabelsSv[0][0], "reporting order: women first");
                Assert.Equal("Coaching", c.LabelsEn[1][0], "intervention label en");
                int secondary = 0;
                bool sawSmall = false;
                for (int i = 0; i < c.CellCount; ++i)
                {
                    var key = new KeyValuePair<int, int>(c.LevelCodes[0][i], c.LevelCodes[1][i]);
                    if (c.LevelCodes[0][i] == 1 && c.LevelCodes[1][i] == 2)
                    {
                        sawSmall = true;
                        Assert.Equal(CellStatus.Primary, c.CountStatus[i], "3 persons: primary");
                        Assert.True(c.Persons[i] == null && c.Participations[i] == null && c.Successes[0][i] == null, "no figure of a suppressed cell");
                        Assert.True(double.IsNaN(c.MeasureSums[0][i]), "suppressed sum is NaN");
                    }
                    if (c.CountStatus[i] == CellStatus.Secondary) ++secondary;
                    if (c.CountStatus[i] == CellStatus.Published)
                    {
                        Data.Cell t;
                        if (!truth.TryGetValue(key, out t))
                        {
                            Assert.Equal((ulong?)0, c.Persons[i], "empty cell published as 0");
                            continue;
                        }
                        Assert.Equal((ulong?)(ulong)t.Persons.Count, c.Persons[i], "published persons");
                        Assert.Equal((ulong?)t.Participations, c.Participations[i], "published participations");
                        Assert.Equal((ulong?)t.Successes, c.Successes[0][i], "published successes");
                        Assert.Near(t.Sum, c.MeasureSums[0][i], 1e-12, "published sum");
                    }
                    else
                        Assert.True(c.Persons[i] == null, "suppressed persons are null");
                }
                Assert.True(sawSmall, "the small cell is in the table");
                Assert.True(secondary > 0, "secondary suppression closes the marginals");
                var sum = p.Summary();
                Assert.Equal(1UL, sum.PrimaryCells, "one primary cell");
                Assert.Equal(3UL, sum.PrimaryPersons, "its 3 persons");
                Assert.Equal((ulong)secondary, sum.SecondaryCells, "secondary cells");
                Assert.Equal(0UL, sum.UnderProtected, "fully protected");
                Assert.True(sum.PersonsCounted, "persons counted");
                Assert.Contains("..", p.ToText(0), "printed as ..");
                // Table order: the C rows.
                var plain = p.Grouping(0, false);
                for (int i = 0; i < plain.CellCount; ++i) Assert.Equal((long)i, plain.Cell[i], "C row order");
            }
        }

        [Test]
        public static void TotalsEqualTheRollup()
        {
            var d = Small();
            using (var s = Data.Schema())
            using (var a = Filled(s, d))
            using (var p = a.ProtectedTables(Masks))
            using (var total = a.Total())
            {
                var t = total.Export();
                var c = p.Grouping(3);
                Assert.Equal(1, c.CellCount, "one total cell");
                Assert.Equal(CellStatus.Published, c.CountStatus[0], "total published");
                Assert.Equal((ulong?)34, c.Persons[0], "34 persons");
                Assert.Equal((ulong?)t.Persons[0], c.Persons[0], "persons equal the roll-up's");
                Assert.Equal((ulong?)t.Participations[0], c.Participations[0], "participations equal the roll-up's");
                Assert.Equal((ulong?)t.Successes[0][0], c.Successes[0][0], "successes equal the roll-up's");
                Assert.Near(t.Measures[0].Sum[0], c.MeasureSums[0][0], 1e-12, "sum equals the roll-up's");
            }
        }

        [Test]
        public static void AuditIntervalsContainTheTrueValues()
        {
            var d = Small();
            var truth = d.BySexAndIntervention();
            using (var s = Data.Schema())
            using (var a = Filled(s, d))
            using (var p = a.ProtectedTables(Masks))
            {
                var audit = p.Audit();
                Assert.True(audit.Count > 0, "suppressed cells are audited");
                Assert.Equal(p.Summary().AuditRows, (ulong)audit.Count, "audit rows");
                var c = p.Grouping(0, false);
                var audited = new HashSet<ulong>();
                for (int r = 0; r < audit.Count; ++r)
                {
                    Assert.True(audit.Lower[r] <= audit.Value[r] + 1e-9 && audit.Value[r] <= audit.Upper[r] + 1e-9, "interval holds the value, row " + r);
                    Assert.True(audit.ProtectedEnough[r], "protected enough, row " + r);
                    if (audit.Grouping[r] != 0) continue;
                    audited.Add(audit.Cell[r]);
                    if (audit.Quantity[r] != AuditQuantity.Persons) continue;
                    int i = checked((int)audit.Cell[r]);
                    var key = new KeyValuePair<int, int>(c.LevelCodes[0][i], c.LevelCodes[1][i]);
                    Assert.Equal((double)truth[key].Persons.Count, audit.Value[r], "true persons of the audited cell");
                }
                for (int i = 0; i < c.CellCount; ++i)
                    if (c.CountStatus[i] == CellStatus.Primary || c.CountStatus[i] == CellStatus.Secondary)
                        Assert.True(audited.Contains((ulong)i), "suppressed cell " + i + " is audited");
            }
        }

        static void SameColumns(ProtectedColumns x, ProtectedColumns y, string what)
        {
            Assert.Equal(x.CellCount, y.CellCount, what + " cells");
            Assert.SequenceEqual(x.CountStatus, y.CountStatus, what + " status");
            Assert.SequenceEqual(x.Persons, y.Persons, what + " persons");
            Assert.SequenceEqual(x.Participations, y.Participations, what + " participations");
            Assert.SequenceEqual(x.Successes[0], y.Successes[0], what + " successes");
            Assert.SequenceEqual(x.MeasureSums[0], y.MeasureSums[0], what + " sums");
        }

        [Test]
        public static void CellKeyIsTheSameForMergesInEitherOrder()
        {
            var da = Cells(0, new[] { 2, 1, 7 }, new[] { 1, 2, 2 }, new[] { 2, 2, 4 });
            var db = Cells(5, new[] { 2, 1, 6 }, new[] { 1, 1, 8 }, new[] { 1, 2, 3 });  // persons 5, 6 in both
            var options = new DisclosureOptions { Method = DisclosureMethod.CellKey, CellKeySecret = Secret };
            using (var s = Data.Schema())
            using (var a = Filled(s, da))
            using (var b = Filled(s, db))
            using (var ab = Aggregator.Deserialize(a.Serialize(), Data.Persons()))
            using (var ba = Aggregator.Deserialize(b.Serialize(), Data.Persons()))
            {
                ab.Merge(b);
                ba.Merge(a);
                using (var p = ab.ProtectedTables(Masks, options))
                using (var q = ba.ProtectedTables(Masks, options))
                {
                    Assert.Equal(DisclosureMethod.CellKey, p.Method, "method");
                    Assert.Contains("parts need not add up", p.Note, "the note");
                    Assert.Contains("parts need not add up", p.ToText(3), "printed with the note");
                    for (int g = 0; g < Masks.Length; ++g) SameColumns(p.Grouping(g), q.Grouping(g), "grouping " + g);
                    var c = p.Grouping(0);
                    for (int i = 0; i < c.CellCount; ++i)
                        if (c.Participations[i] != 0) Assert.Equal(CellStatus.Perturbed, c.CountStatus[i], "perturbed cell " + i);
                    Assert.Equal(0, p.Audit().Count, "no audit under the cell key method");
                    Assert.True(p.Summary().KeysFromPersons, "keys from persons");
                }
            }
        }

        [Test]
        public static void BadOptionsThrowWithTheCMessage()
        {
            using (var s = Data.Schema())
            using (var a = Filled(s, Small()))
            {
                var e = Assert.Throws<JamstatException>(() => a.ProtectedTables(Masks, new DisclosureOptions { FrequencyThreshold = 0 }).Dispose(), "threshold 0");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("frequency_threshold", e.Message, "message names the option");
                e = Assert.Throws<JamstatException>(() => a.ProtectedTables(Masks, new DisclosureOptions { Method = DisclosureMethod.CellKey }).Dispose(), "no secret");
                Assert.Contains("secret", e.Message, "message names the secret");
                e = Assert.Throws<JamstatException>(() => a.ProtectedTables(new ulong[] { 1UL << 10 }).Dispose(), "bad mask");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "bad mask status");
                Assert.Throws<ArgumentException>(() => a.ProtectedTables(Masks, new DisclosureOptions { CellKeySecret = new byte[5] }), "short secret");
                Assert.Throws<JamstatException>(() => a.ProtectedTables(new[] { new[] { "no_such_dimension" } }), "unknown dimension");
            }
        }

        [Test]
        public static void OutlivesTheAggregator()
        {
            ProtectedTables p;
            using (var s = Data.Schema())
            using (var a = Filled(s, Small()))
                p = a.ProtectedTables(Masks);
            using (p)
                Assert.Equal((ulong?)34, p.Grouping(3).Persons[0], "total after the aggregator is gone");
            Assert.Throws<ObjectDisposedException>(() => p.Summary(), "disposed");
        }
    }
}
