using System;
using Jamstat.Interop;

namespace Jamstat.Tests
{
    /// <summary>
    /// The gap report through the binding, on R's UCBAdmissions (4,526 applicants by sex and
    /// department), as tests/c_api/analysis_test.c does in C; reference values from R 4.2.2.
    /// </summary>
    public static class GapTests
    {
        // Per department A-F: women admitted, women applicants, men admitted, men applicants
        // (R: aperm(UCBAdmissions, c(2, 1, 3))).
        static readonly int[,] Ucb = { { 89, 108, 512, 825 }, { 17, 25, 353, 560 }, { 202, 593, 120, 325 },
                                       { 131, 375, 138, 417 }, { 94, 393, 53, 191 }, { 24, 341, 22, 373 } };

        static Aggregator UcbAggregator()
        {
            string[] labels = { "A", "B", "C", "D", "E", "F" };
            using (var b = new SchemaBuilder())
            using (var s = b.AddDimension("department", new[] { 0, 1, 2, 3, 4, 5 }, labels, labels)
                            .SetDimensionLabels("department", "Institution", "Department")
                            .AddOutcome("admitted", "Antagen", "Admitted")
                            .Build())
            {
                var a = new Aggregator(s);
                int rows = 0;
                for (int d = 0; d < 6; ++d) rows += Ucb[d, 1] + Ucb[d, 3];
                var sex = new byte[rows];
                var dept = new byte[rows];
                var admitted = new bool[rows];
                int at = 0;
                for (int d = 0; d < 6; ++d)
                    for (int women = 1; women >= 0; --women)
                    {
                        int yes = Ucb[d, women == 1 ? 0 : 2], n = Ucb[d, women == 1 ? 1 : 3];
                        for (int i = 0; i < n; ++i, ++at)
                        {
                            sex[at] = (byte)(women == 1 ? Sex.Female : Sex.Male);
                            dept[at] = (byte)d;
                            admitted[at] = i < yes;
                        }
                    }
                a.AddArrays(sex, dept, admitted);
                return a;
            }
        }

        [Test]
        public static void UcbAdmissionsAdjustedForDepartment()
        {
            using (var a = UcbAggregator())
            using (var report = a.GapReport(new GapOptions { AdjustFor = new[] { "department" }, CurrentPeriod = "1973" }))
            {
                var f = report.Findings();
                Assert.True(f.Count > 0 && report.Tests > 0, "findings and tests");
                Assert.Near(0.05, report.SignificanceLevel, 1e-12, "significance level");
                int raw = -1, adjusted = -1;
                for (int i = 0; i < f.Count; ++i)
                {
                    if (f.Kind[i] != FindingKind.Outcome || f.GroupingDimension[i] != -1 || f.Period[i] != FindingPeriod.Current) continue;
                    if (f.Adjusted[i] != 0) adjusted = i;
                    else raw = i;
                }
                Assert.True(raw >= 0 && adjusted >= 0, "a raw and an adjusted outcome finding");
                Assert.Equal(557.0, f.Women.Amount[raw], "women admitted");
                Assert.Equal(1835.0, f.Women.Base[raw], "women applicants");
                Assert.Equal(1198.0, f.Men.Amount[raw], "men admitted");
                Assert.Equal(2691.0, f.Men.Base[raw], "men applicants");
                Assert.Near(557.0 / 1835 - 1198.0 / 2691, f.Difference[raw], 1e-12, "raw difference");
                Assert.Equal(Constants.JAMSTAT_EFFECT_PROPORTION_DIFFERENCE, f.Effect[raw], "effect");
                Assert.True(f.QValue[raw] < 0.05, "the raw gap is significant");
                // R 4.2.2: mantelhaen.test(aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ])$estimate = 1.1053426615022164
                Assert.Near(1.1053426615022164, f.OddsRatio[adjusted], 1e-10, "Mantel-Haenszel odds ratio");
                // R 4.2.2: mantelhaen.test(aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ], correct = FALSE)$p.value = 0.21692369705551723
                Assert.Near(0.21692369705551723, f.PValue[adjusted], 1e-10, "CMH p-value");
                Assert.Equal(Constants.JAMSTAT_TEST_COCHRAN_MANTEL_HAENSZEL, f.Method[adjusted], "method");
                Assert.Equal(1UL << 1, f.AdjustedFor[adjusted], "adjusted for schema dimension 1");
                Assert.Contains("epartment", f.AdjustedForEn[adjusted], "adjusted for, in English");
                Assert.True(f.VerdictSv[adjusted].Length > 0 && f.VerdictEn[adjusted].Length > 0, "verdicts");
                Assert.Equal("1973", f.PeriodLabel[raw], "period label");
                Assert.Equal(ulong.MaxValue, f.Persons[raw], "persons not known");
                Assert.Equal(4526UL, f.Participations[raw], "participations");
                Assert.Equal(f.Count, f.NotApplicable.Estimate.Length, "every column has Count values");
            }
        }

        [Test]
        public static void BadOptionsRaise()
        {
            using (var a = UcbAggregator())
            {
                var e = Assert.Throws<JamstatException>(() => a.GapReport(new GapOptions { AdjustFor = new[] { "nope" } }), "unknown dimension");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("nope", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => a.GapReport(new GapOptions { OfferedOutcomes = new[] { "nope" } }), "unknown outcome");
                Assert.Contains("no outcome is called 'nope'", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => a.GapReport(new GapOptions { ExactRule = (ExactRule)9 }), "exact rule 9");
                Assert.Contains("exact_rule is 9", e.Message, "message");
            }
        }

        [Test]
        public static void TargetGroupAndTwoPeriods()
        {
            using (var now = UcbAggregator())
            using (var before = UcbAggregator())
            using (var s = now.GetSchema())
            using (var target = new TargetGroup(s))
            {
                target.Add(null, Sex.Female, 10000).Add(null, Sex.Male, 12000);
                var e = Assert.Throws<JamstatException>(() => target.Add(null, 7, 10), "sex 7");
                Assert.Contains("sex", e.Message, "message");
                using (var report = now.GapReport(new GapOptions { Target = target, Previous = before, CurrentPeriod = "1974", PreviousPeriod = "1973" }))
                {
                    var f = report.Findings();
                    int rates = 0, changes = 0;
                    for (int i = 0; i < f.Count; ++i)
                    {
                        if (f.Kind[i] == FindingKind.ParticipationRate && f.Period[i] == FindingPeriod.Current && f.GroupingDimension[i] == -1)
                        {
                            ++rates;
                            Assert.Near(0.1835, f.Women.Estimate[i], 1e-12, "women's rate 1835 / 10000");
                            Assert.Near(2691.0 / 12000, f.Men.Estimate[i], 1e-12, "men's rate 2691 / 12000");
                        }
                        if (f.Period[i] == FindingPeriod.Change && f.Kind[i] == FindingKind.Outcome && f.GroupingDimension[i] == -1 && f.Adjusted[i] == 0)
                        {
                            ++changes;
                            Assert.Near(0.0, f.Difference[i], 1e-12, "the same data both periods: no change");
                        }
                    }
                    Assert.Equal(1, rates, "one overall participation rate");
                    Assert.Equal(1, changes, "one overall change");
                }
            }
        }
    }
}
