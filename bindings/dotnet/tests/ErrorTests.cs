using System;
using System.Threading;
using Jamstat.Fixtures;

namespace Jamstat.Tests
{
    public static class ErrorTests
    {
        /// <summary>A batch of 6 rows with 3 bad ones: row 1 an unknown intervention code, row 3
        /// outcome 2, row 5 NaN hours.</summary>
        static void BadBatch(out byte[] sex, out ushort[] iv, out int[] region, out byte[] work, out double[] hours)
        {
            sex = new byte[] { 2, 1, 2, 1, 2, 1 };
            iv = new ushort[] { 1, 7, 2, 3, 1, 2 };
            region = new int[] { 10, 20, 30, 10, 20, 30 };
            work = new byte[] { 1, 0, 1, 2, 0, 1 };
            hours = new double[] { 1, 2, 3, 4, 5, double.NaN };
        }

        [Test]
        public static void RejectListsEveryBadRowAndChangesNothing()
        {
            byte[] sex; ushort[] iv; int[] region; byte[] work; double[] hours;
            BadBatch(out sex, out iv, out region, out work, out hours);
            using (var s = Data.Schema())
            using (var a = new Aggregator(s))
            {
                a.AddArrays(new byte[] { 2 }, new ushort[] { 1 }, new[] { 10 }, new byte[] { 1 }, new[] { 8.0 });
                var before = a.Serialize();
                var e = Assert.Throws<JamstatException>(() => a.AddArrays(sex, iv, region, work, hours), "a batch with bad rows");
                Assert.Equal(Status.ErrorBadRecord, e.Status, "status");
                Assert.Equal(1L, e.Row.Value, "the first bad row");
                Assert.Equal(1L, e.Field.Value, "field: intervention");
                Assert.Equal("intervention", e.FieldName, "field name");
                Assert.Equal(RejectionReason.CodeUnknown, e.Reason.Value, "reason");
                Assert.Contains("7", e.Message, "the C message names the code");
                Assert.Equal(3L, e.BadRowCount, "every bad row counted");
                Assert.Equal(3, e.BadRows.Count, "every bad row listed");
                Assert.Equal(1L, e.BadRows[0].Row, "bad row 0");
                Assert.Equal(RejectionReason.CodeUnknown, e.BadRows[0].Reason, "bad row 0 reason");
                Assert.Equal(3L, e.BadRows[1].Row, "bad row 1");
                Assert.Equal("in_work", e.BadRows[1].FieldName, "bad row 1 field");
                Assert.Equal(RejectionReason.OutcomeNotBinary, e.BadRows[1].Reason, "bad row 1 reason");
                Assert.Equal(5L, e.BadRows[2].Row, "bad row 2");
                Assert.Equal("hours", e.BadRows[2].FieldName, "bad row 2 field");
                Assert.Equal(RejectionReason.MeasureNotFinite, e.BadRows[2].Reason, "bad row 2 reason");
                Assert.Contains("row 3, in_work: outcome_not_binary", e.BadRows[1].ToString(), "readable bad row");
                Assert.SequenceEqual(before, a.Serialize(), "the state is unchanged");
                Assert.Equal(1UL, a.Participations, "participations unchanged");

                a.BadRowCapacity = 2;
                e = Assert.Throws<JamstatException>(() => a.AddArrays(sex, iv, region, work, hours), "again, room for 2");
                Assert.Equal(2, e.BadRows.Count, "2 listed");
                Assert.Equal(3L, e.BadRowCount, "3 counted");
            }
        }

        [Test]
        public static void TallySkipsAndCountsBadRows()
        {
            byte[] sex; ushort[] iv; int[] region; byte[] work; double[] hours;
            BadBatch(out sex, out iv, out region, out work, out hours);
            using (var s = Data.Schema())
            using (var a = new Aggregator(s, new AggregatorOptions { OnBadRecord = BadRecordPolicy.Tally }))
            {
                var r = a.AddArrays(sex, iv, region, work, hours);
                Assert.Equal(3UL, r.Accepted, "accepted");
                Assert.Equal(3UL, r.Rejected, "rejected");
                Assert.Equal(3L, r.BadRowCount, "bad rows");
                Assert.Equal(5L, r.BadRows[2].Row, "last bad row");
                Assert.Contains("7", r.FirstRejectedMessage, "first message");
                Assert.Equal(3UL, a.Participations, "participations");
                Assert.Equal(3UL, a.Rejected(), "tally total");
                Assert.Equal(1UL, a.Rejected(RejectionReason.CodeUnknown), "by reason");
                Assert.Equal(1UL, a.Rejected(null, 4), "by field: hours");
                Assert.Equal(1UL, a.Rejected(RejectionReason.OutcomeNotBinary, 3), "by reason and field");
                Assert.Equal(0UL, a.Rejected(RejectionReason.SexMissing), "none missing");
                Assert.True(!a.Add(new[] { -1, 1, 10 }, new[] { 1 }, new[] { 1.0 }), "a record with sex missing is tallied, not added");
                Assert.Equal(1UL, a.Rejected(RejectionReason.SexMissing, 0), "sex missing tallied");
                a.AddAnonymous(5, 4);
                Assert.Equal(4UL, a.Rejected(RejectionReason.SexNotIso5218), "anonymous with sex 5 tallied under Tally");
                Assert.Throws<JamstatException>(() => a.Rejected(null, 99), "field out of range");
            }
        }

        [Test]
        public static void SingleRecordErrorsCarryFieldAndReason()
        {
            using (var s = Data.Schema())
            using (var a = new Aggregator(s, Data.Persons()))
            {
                var e = Assert.Throws<JamstatException>(() => a.Add(new[] { 2, 1, 40 }, new[] { 1 }, new[] { 1.0 }, PersonId.Of(5)), "region 40");
                Assert.Equal(0L, e.Row.Value, "row 0 for a single record");
                Assert.Equal("region", e.FieldName, "field");
                Assert.Equal(RejectionReason.CodeUnknown, e.Reason.Value, "reason");
                e = Assert.Throws<JamstatException>(() => a.Add(new[] { 2, 1, 10 }, new[] { 1 }, new[] { 1.0 }), "no person id");
                Assert.Equal("person_id", e.FieldName, "field");
                Assert.Equal(RejectionReason.PersonIdMissing, e.Reason.Value, "reason");
                e = Assert.Throws<JamstatException>(() => a.Add(new[] { 2, 1 }, new[] { 1 }, new[] { 1.0 }, PersonId.Of(5)), "two codes for three dimensions");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.True(e.Row == null, "not a record error");
            }
            using (var s = Data.Schema())
            using (var a = new Aggregator(s))
            {
                var e = Assert.Throws<JamstatException>(() => a.Add(new[] { 2, 1, 10 }, new[] { 1 }, new[] { 1.0 }, PersonId.Of(5)), "a person id while persons are not counted");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
            }
            using (var s = Data.Schema())
            {
                var e = Assert.Throws<JamstatException>(() => new Aggregator(s, new AggregatorOptions { CountPersons = true, PersonKey = new byte[16] }), "the all-zero key");
                Assert.Contains("key", e.Message, "message");
                Assert.Throws<ArgumentException>(() => new Aggregator(s, new AggregatorOptions { CountPersons = true, PersonKey = new byte[8] }), "an 8-byte key");
            }
        }

        [Test]
        public static void ShortColumnsAndWrongTypesAreRefused()
        {
            using (var s = Data.Schema())
            using (var a = new Aggregator(s))
            {
                var e = Assert.Throws<JamstatException>(() => a.AddArrays(new byte[] { 2, 1 }, new ushort[] { 1 }, new[] { 10, 20 }, new byte[] { 1, 1 }, new[] { 1.0, 2.0 }), "a short column");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                e = Assert.Throws<JamstatException>(() => a.AddArrays(new byte[] { 2 }, new ushort[] { 1 }, new[] { 10 }, new byte[] { 1 }, new[] { 1.0f }, new uint[] { 1 }), "a person id column while not counting persons");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                e = Assert.Throws<JamstatException>(() => a.AddArrays(new byte[] { 2 }, new ushort[] { 1 }, new[] { 10 }, new byte[] { 1 }, new long[] { 1 }), "grid units for a floating measure");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Throws<ArgumentNullException>(() => a.AddArrays(default(ArraySegment<byte>), new ushort[1]), "an empty ArraySegment is caught before the call");
                Assert.Throws<ArgumentNullException>(() => a.AddArrays(new byte[1], (ushort[])null), "a null column");
                Assert.Equal(0UL, a.Participations, "nothing added");
            }
        }

        [Test]
        public static void ErrorsAreThreadLocal()
        {
            using (var s = Data.Schema())
            {
                JamstatException other = null;
                var ready = new ManualResetEvent(false);
                var go = new ManualResetEvent(false);
                var t = new Thread(() =>
                {
                    using (var a = new Aggregator(s))
                    {
                        ready.Set();
                        go.WaitOne();
                        try { a.Add(new[] { 2, 9, 10 }, new[] { 1 }, new[] { 1.0 }); }
                        catch (JamstatException e) { other = e; }
                    }
                });
                t.Start();
                ready.WaitOne();
                using (var a = new Aggregator(s))
                {
                    go.Set();
                    var e = Assert.Throws<JamstatException>(() => a.Add(new[] { 2, 1, 99 }, new[] { 1 }, new[] { 1.0 }), "region 99");
                    t.Join();
                    Assert.Equal("region", e.FieldName, "this thread's error");
                    Assert.True(other != null && other.FieldName == "intervention", "the other thread's error");
                }
            }
        }

        [Test]
        public static void ParallelAggregatorsMerge()
        {
            var d = Data.Make(4000, 16);
            using (var s = Data.Schema())
            using (var all = new Aggregator(s, Data.Persons()))
            {
                var parts = new Aggregator[4];
                var threads = new Thread[4];
                for (int k = 0; k < 4; ++k)
                {
                    int at = k * 1000;
                    parts[k] = new Aggregator(s, Data.Persons());
                    var part = parts[k];
                    threads[k] = new Thread(() => part.AddArrays(new ArraySegment<byte>(d.Sex, at, 1000), new ArraySegment<ushort>(d.Intervention, at, 1000),
                        new ArraySegment<int>(d.Region, at, 1000), new ArraySegment<byte>(d.InWork, at, 1000),
                        new ArraySegment<double>(d.Hours, at, 1000), new ArraySegment<uint>(d.PersonId, at, 1000)));
                    threads[k].Start();
                }
                foreach (var t in threads) t.Join();
                foreach (var p in parts)
                {
                    all.Merge(p);
                    p.Dispose();
                }
                AggregationTests.CheckAgainstReference(all, d, true);
            }
        }

        [Test]
        public static void FinalizersFreeForgottenHandles()
        {
            // Handles never disposed are freed by the SafeHandle finalizers, on the finalizer
            // thread (the C ABI allows freeing from any thread).
            for (int i = 0; i < 200; ++i)
            {
                var s = Data.Schema();
                var a = new Aggregator(s);
                a.AddAnonymous(Sex.Female, 1);
                var t = a.Total();
                GC.KeepAlive(t);
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using (var s = Data.Schema())
            using (var a = new Aggregator(s))
                Assert.Equal(0UL, a.Participations, "still working after the finalizers ran");
        }
    }
}
