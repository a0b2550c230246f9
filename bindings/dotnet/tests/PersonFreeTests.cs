using System;
using Jamstat.Fixtures;

namespace Jamstat.Tests
{
    /// <summary>
    /// Person-free states (Aggregator.StateForm, Aggregator.PersonFree; docs/state-format.md,
    /// "Person-free states"): the form of each kind of state; the persons of a copy's frozen
    /// groupings equal the original's (which counts them exactly from the hashes; Data.Make repeats
    /// persons, so persons by sex are not the sum over the finer cells); a grouping not frozen has no
    /// persons (null); the form survives Serialize/Deserialize; adds and merges are refused; protected
    /// tables of the copy equal the original's.
    /// </summary>
    public static class PersonFreeTests
    {
        static readonly string[][] Groupings = { new[] { "sex", "intervention" }, new[] { "intervention" }, new[] { "sex" }, new string[0] };

        static Aggregator Pseudonymised(Schema s)
        {
            var d = Data.Make(600, 41);
            var a = new Aggregator(s, Data.Persons());
            a.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours, d.PersonId);
            return a;
        }

        static ulong[] Persons(Aggregator a, params int[] dimensions)
        {
            using (var t = a.Rollup(dimensions)) return t.Export().Persons;
        }

        static ulong Sum(ulong[] values)
        {
            ulong s = 0;
            foreach (var v in values) s += v;
            return s;
        }

        [Test]
        public static void TheFormOfEachKind()
        {
            using (var s = Data.Schema())
            using (var plain = new Aggregator(s))
            using (var a = Pseudonymised(s))
            using (var pf = a.PersonFree())
            {
                Assert.Equal(StateForm.ParticipationsOnly, plain.StateForm, "no persons counted");
                Assert.Equal(StateForm.Pseudonymised, a.StateForm, "person hashes");
                Assert.Equal(StateForm.PersonFree, pf.StateForm, "the copy");
                Assert.True(!ReferenceEquals(a, pf), "a new aggregator");
                Assert.Equal(StateForm.Pseudonymised, a.StateForm, "the original is left as it was");
                Assert.Equal(a.Participations, pf.Participations, "participations");
            }
        }

        [Test]
        public static void PersonsOfFrozenGroupingsEqualTheOriginals()
        {
            using (var s = Data.Schema())
            using (var a = Pseudonymised(s))
            using (var all = a.PersonFree())
            using (var bySex = a.PersonFree(new[] { new[] { "sex" } }))
            {
                var truth = Persons(a, 0);
                Assert.True(Sum(Persons(a, 0, 1)) > Sum(truth), "persons do not add up across interventions");
                Assert.SequenceEqual(truth, Persons(all, 0), "by sex, all frozen");
                Assert.SequenceEqual(truth, Persons(bySex, 0), "by sex, sex frozen");
                foreach (var by in new[] { new[] { 0, 1 }, new[] { 1 }, new[] { 1, 2 }, new[] { 0, 1, 2 }, new int[0] })
                    Assert.SequenceEqual(Persons(a, by), Persons(all, by), "by " + string.Join(",", by));
                Assert.SequenceEqual(Persons(a, 0, 1, 2), Persons(bySex, 0, 1, 2), "the finest is always frozen");
                using (var x = a.Rollup(new[] { "intervention" }))
                using (var y = all.Rollup(new[] { "intervention" }))
                {
                    Assert.SequenceEqual(x.Export().Participations, y.Export().Participations, "participations");
                    Assert.SequenceEqual(x.Export().Successes[0], y.Export().Successes[0], "successes");
                }
            }
        }

        [Test]
        public static void AGroupingNotFrozenHasNoPersons()
        {
            using (var s = Data.Schema())
            using (var a = Pseudonymised(s))
            using (var pf = a.PersonFree(new[] { new[] { "sex", "intervention" } }))
            using (var finestOnly = a.PersonFree(new string[0][]))
            using (var byMask = a.PersonFree(new ulong[] { 1, 0 }))
            {
                using (var t = pf.Rollup(0))
                {
                    Assert.True(t.Export().Persons == null, "by sex: not frozen");
                    Assert.True(t.Counts(0).Persons == null, "no persons in a cell");
                    Assert.True(t.Counts(0).Participations > 0, "participations are there");
                }
                Assert.SequenceEqual(Persons(a, 0, 1), Persons(pf, 0, 1), "the frozen grouping");
                Assert.True(Persons(finestOnly, 0) == null, "no groupings: only the finest");
                Assert.True(Persons(finestOnly, 0, 1) == null, "sex x intervention not frozen");
                Assert.SequenceEqual(Persons(a, 0, 1, 2), Persons(finestOnly, 0, 1, 2), "the finest");
                Assert.SequenceEqual(Persons(a, 0), Persons(byMask, 0), "mask 1: sex");
                Assert.SequenceEqual(Persons(a), Persons(byMask), "mask 0: the total");
                Assert.True(Persons(byMask, 1) == null, "intervention not frozen");
            }
        }

        [Test]
        public static void BadRequestsAreRefused()
        {
            using (var s = Data.Schema())
            using (var plain = new Aggregator(s))
            using (var a = Pseudonymised(s))
            using (var pf = a.PersonFree())
            {
                var e = Assert.Throws<JamstatException>(() => plain.PersonFree(), "no persons counted");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("does not count persons", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => pf.PersonFree(), "person-free already");
                Assert.Contains("person-free already", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => a.PersonFree(new ulong[] { 2, 2 }), "a grouping twice");
                Assert.Contains("twice", e.Message, "message");
                Assert.Throws<JamstatException>(() => a.PersonFree(new ulong[] { 1UL << 5 }), "no dimension 5");
                Assert.Throws<ArgumentException>(() => a.PersonFree(new[] { new[] { "sex", "sex" } }), "sex named twice");
                Assert.Throws<Exception>(() => a.PersonFree(new[] { new[] { "municipality" } }), "no such dimension");
            }
        }

        [Test]
        public static void SerializeAndDeserializeKeepTheForm()
        {
            using (var s = Data.Schema())
            using (var a = Pseudonymised(s))
            using (var pf = a.PersonFree(new[] { new[] { "sex" }, new[] { "intervention" } }))
            {
                var state = pf.Serialize();
                Assert.Equal((long)state.Length, pf.SerializedSize, "size");
                Assert.True(state.Length < a.Serialize().Length, "no person hashes");
                using (var back = Aggregator.Deserialize(state))
                {
                    Assert.Equal(StateForm.PersonFree, back.StateForm, "the form");
                    Assert.SequenceEqual(state, back.Serialize(), "byte for byte");
                    Assert.SequenceEqual(Persons(pf, 0), Persons(back, 0), "by sex");
                    Assert.SequenceEqual(Persons(pf, 1), Persons(back, 1), "by intervention");
                    Assert.True(Persons(back, 0, 1) == null, "still not frozen");
                }
                var e = Assert.Throws<JamstatException>(() => Aggregator.Deserialize(state, Data.Persons()), "a key for no hashes");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
            }
        }

        [Test]
        public static void AddingAndMergingAreRefused()
        {
            var d = Data.Make(10, 7);
            using (var s = Data.Schema())
            using (var a = Pseudonymised(s))
            using (var pf = a.PersonFree())
            {
                var before = pf.Serialize();
                var e = Assert.Throws<JamstatException>(() => pf.Add(new[] { 2, 1, 10 }, new[] { 1 }, new[] { 3.0 }), "one record");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("person-free", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => pf.Add(new[] { 2, 1, 10 }, new[] { 1 }, new[] { 3.0 }, PersonId.Of(42UL)), "with a person");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                e = Assert.Throws<JamstatException>(() => pf.AddArrays(d.Sex, d.Intervention, d.Region, d.InWork, d.Hours), "a batch");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                e = Assert.Throws<JamstatException>(() => pf.AddAnonymous(2, 3), "anonymous participants");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                e = Assert.Throws<JamstatException>(() => a.Merge(pf), "merged into a state");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("merge", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => pf.Merge(a), "a state merged into it");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.SequenceEqual(before, pf.Serialize(), "unchanged");
            }
        }

        static void SameTables(ProtectedTables p, ProtectedTables q)
        {
            Assert.Equal(p.Count, q.Count, "groupings");
            for (int g = 0; g < p.Count; ++g)
            {
                var x = p.Grouping(g);
                var y = q.Grouping(g);
                Assert.SequenceEqual(x.CountStatus, y.CountStatus, "status " + g);
                Assert.SequenceEqual(x.Persons, y.Persons, "persons " + g);
                Assert.SequenceEqual(x.Participations, y.Participations, "participations " + g);
                Assert.SequenceEqual(x.Successes[0], y.Successes[0], "successes " + g);
                Assert.SequenceEqual(x.MeasureSums[0], y.MeasureSums[0], "sums " + g);
                Assert.Equal(p.ToText(g), q.ToText(g), "text " + g);
            }
        }

        [Test]
        public static void ProtectedTablesEqualTheOriginals()
        {
            using (var s = Data.Schema())
            using (var a = Pseudonymised(s))
            using (var pf = a.PersonFree(Groupings))
            {
                foreach (var o in new[] { null, new DisclosureOptions { FrequencyThreshold = 20 } })
                    using (var p = a.ProtectedTables(Groupings, o))
                    using (var q = pf.ProtectedTables(Groupings, o))
                    {
                        SameTables(p, q);
                        Assert.Equal(p.Summary().PrimaryCells, q.Summary().PrimaryCells, "primary cells");
                        Assert.Equal(p.Summary().SecondaryCells, q.Summary().SecondaryCells, "secondary cells");
                    }
                // The cell key method keys a cell by its persons' hashes when the state has them; a
                // person-free state has none, so its noise is that of the original protected from counts.
                var secret = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
                using (var p = a.ProtectedTables(Groupings, new DisclosureOptions { Method = DisclosureMethod.CellKey, CellKeySecret = secret, Persons = PersonsSource.FromCounts }))
                using (var q = pf.ProtectedTables(Groupings, new DisclosureOptions { Method = DisclosureMethod.CellKey, CellKeySecret = secret }))
                    SameTables(p, q);
            }
            using (var s = Data.Schema())
            using (var a = Pseudonymised(s))
            using (var pf = a.PersonFree(new[] { new[] { "sex", "intervention" } }))
            {
                var e = Assert.Throws<JamstatException>(() => pf.ProtectedTables(new[] { new[] { "sex" } }), "a grouping not frozen");
                Assert.Contains("did not freeze", e.Message, "message");
            }
        }
    }
}
