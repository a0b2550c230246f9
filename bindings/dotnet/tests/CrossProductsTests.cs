using System;
using System.Collections.Generic;
using Jamstat.Interop;

namespace Jamstat.Tests
{
    /// <summary>
    /// Cross-product sets (SchemaBuilder.CrossProducts, Schema.CrossProducts) and the Oaxaca-Blinder
    /// decomposition with numeric characteristics (Aggregator.OaxacaBlinderNumeric).
    /// The microdata are those of tests/c_api/cross_products_test.c (row_of, the same integer
    /// formulas), and so are the reference values: R 4.2.2, stats::lm, women: lm(income ~ hours + cost),
    /// men: the same, pooled: lm(income ~ hours + cost + female) (Jann 2008's pooled coefficients with a
    /// group indicator), and the same with hours + region (tests/reference/analysis/oaxaca_cross_products.R).
    /// The linear probability model of work on hours and cost: numpy 1.24 numpy.linalg.lstsq on the same
    /// microdata (bindings/python/tests/test_cross_products.py: r = ols_decomposition("work", ["hours",
    /// "cost"]); repr(float(r[part]))).
    /// </summary>
    public static class CrossProductsTests
    {
        const int Rows = 3000;

        static Schema MakeSchema(bool withSet)
        {
            using (var b = new SchemaBuilder())
            {
                b.AddDimension("region", new[] { 1, 2, 3 }, new[] { "Norr", "Mitt", "Söder" }, new[] { "North", "Middle", "South" })
                 .AddOutcome("work", "I arbete", "In work")
                 .AddMeasure(new MeasureDefinition("hours") { Unit = "h", Kind = MeasureKind.Decimal, Decimals = 2, Lowest = 0, Highest = 100 })
                 .AddMeasure(new MeasureDefinition("cost") { Unit = "SEK", Kind = MeasureKind.Decimal, Decimals = 0, Lowest = 0, Highest = 10000 })
                 .AddMeasure(new MeasureDefinition("income") { Unit = "SEK", Kind = MeasureKind.Decimal, Decimals = 0, Lowest = 0, Highest = 100000 });
                if (withSet) b.CrossProducts("income", "work", "cost", "hours");  // any order: kept in field order
                return b.Build();
            }
        }

        /// <summary>row_of(i) of cross_products_test.c, the rows in the given order.</summary>
        static Aggregator Aggregate(Schema s, bool reverse)
        {
            var sex = new byte[Rows];
            var region = new byte[Rows];
            var work = new byte[Rows];
            var hours = new double[Rows];
            var cost = new double[Rows];
            var income = new double[Rows];
            for (int k = 0; k < Rows; ++k)
            {
                long i = reverse ? Rows - 1 - k : k;
                int sexCode = i % 61 == 60 ? 9 : i % 2 == 0 ? 2 : 1;
                bool female = sexCode == 2;
                long r = i % 3 + 1;
                long hoursUnits = (i * 7919) % 4001 + 500;
                long c = (i * 104729) % 3001 + 200;
                long noise = (i * 6007) % 501 - 250;
                sex[k] = (byte)sexCode;
                region[k] = (byte)r;
                work[k] = (byte)((i * 31) % 7 < 3 + (hoursUnits > 2500 ? 1 : 0) ? 1 : 0);
                hours[k] = hoursUnits / 100.0;
                cost[k] = c;
                income[k] = (hoursUnits * (female ? 17 : 23)) / 10 + c / 4 + 150 * r + noise + (female ? 0 : 800);
            }
            var a = new Aggregator(s);
            a.AddColumns(new Dictionary<string, Column>
            {
                { "sex", sex }, { "region", region }, { "work", work }, { "hours", hours }, { "cost", cost }, { "income", income },
            });
            return a;
        }

        /// <summary>The batch equals the same records one at a time, with and without a set (the
        /// columnar path of a schema with decimal measures and no set is the one fixed on main in
        /// fa410c0: it crashed).</summary>
        [Test]
        public static void ABatchEqualsTheSameRecordsOneAtATime()
        {
            foreach (var withSet in new[] { false, true })
                using (var s = MakeSchema(withSet))
                using (var batch = Aggregate(s, false))
                using (var oneByOne = new Aggregator(s))
                {
                    for (long i = 0; i < Rows; ++i)
                    {
                        int sexCode = i % 61 == 60 ? 9 : i % 2 == 0 ? 2 : 1;
                        long hoursUnits = (i * 7919) % 4001 + 500;
                        long c = (i * 104729) % 3001 + 200;
                        long income = (hoursUnits * (sexCode == 2 ? 17 : 23)) / 10 + c / 4 + 150 * (i % 3 + 1) + ((i * 6007) % 501 - 250)
                                      + (sexCode == 2 ? 0 : 800);
                        int work = (i * 31) % 7 < 3 + (hoursUnits > 2500 ? 1 : 0) ? 1 : 0;
                        oneByOne.Add(new[] { sexCode, (int)(i % 3 + 1) }, new[] { work }, new[] { hoursUnits / 100.0, c, income });
                    }
                    Assert.SequenceEqual(oneByOne.Serialize(), batch.Serialize(), "states, with set: " + withSet);
                }
        }

        [Test]
        public static void TheSetRoundTripsItsNames()
        {
            using (var s = MakeSchema(true))
            using (var plain = MakeSchema(false))
            {
                Assert.SequenceEqual(new[] { "work", "hours", "cost", "income" }, s.CrossProducts, "the set, in field order");
                Assert.Equal(0, plain.CrossProducts.Length, "no set");
                Assert.True(s.Fingerprint != plain.Fingerprint, "the set is part of the fingerprint");
            }
        }

        [Test]
        public static void ASetTheSchemaCannotKeepIsRefusedWhenBuilt()
        {
            using (var b = new SchemaBuilder())
            {
                b.AddNumeric("hours", "h").AddMeasure(new MeasureDefinition("cost") { Kind = MeasureKind.Decimal, Decimals = 0 })
                 .CrossProducts("hours", "cost");
                var e = Assert.Throws<JamstatException>(() => b.Build(), "a floating measure in the set");
                Assert.Equal(Status.ErrorInvalidSchema, e.Status, "status");
                Assert.Contains("hours", e.Message, "message");
                b.CrossProducts();  // cleared
                using (var s = b.Build()) Assert.Equal(0, s.CrossProducts.Length, "cleared");
            }
        }

        [Test]
        public static void StatesSerializeAndDeserializeWithTheirSums()
        {
            using (var s = MakeSchema(true))
            using (var a = Aggregate(s, false))
            using (var backwards = Aggregate(s, true))
            {
                var state = a.Serialize();
                Assert.SequenceEqual(state, backwards.Serialize(), "exact sums: any order of the records");
                using (var back = Aggregator.Deserialize(state))
                using (var bs = back.GetSchema())
                {
                    Assert.SequenceEqual(new[] { "work", "hours", "cost", "income" }, bs.CrossProducts, "the set, read back");
                    Assert.SequenceEqual(state, back.Serialize(), "the same state");
                    var options = new OaxacaOptions { SubjectKind = SubjectKind.Measure, Subject = 2 };
                    using (var d1 = back.OaxacaBlinderNumeric(options, "hours", "cost"))
                    using (var d2 = a.OaxacaBlinderNumeric(options, "hours", "cost"))
                    {
                        Assert.Equal(d2.Result().Explained, d1.Result().Explained, "explained, from the state read back");
                        Assert.Equal(d2.Result().Interaction, d1.Result().Interaction, "interaction, from the state read back");
                    }
                }
            }
        }

        [Test]
        public static void TheDecompositionGivesTheValuesOfLm()
        {
            using (var s = MakeSchema(true))
            using (var a = Aggregate(s, false))
            {
                using (var d = a.OaxacaBlinderNumeric(new OaxacaOptions { SubjectKind = SubjectKind.Measure, Subject = 2 }, "hours", "cost"))
                {
                    var r = d.Result();
                    Assert.Equal(49UL, r.OtherSexParticipations, "sex code 9, beside");
                    Assert.Equal((ulong)Rows, r.WomenParticipations + r.MenParticipations + 49, "every row");
                    Assert.Near(-2298.4490106104449, r.Gap, 1e-12, "gap");
                    Assert.Near(3.1904975264796742, r.Explained, 1e-9, "explained");
                    Assert.Near(-2301.6395081369246, r.Unexplained, 1e-9, "unexplained");
                    Assert.Near(3.3793748680356561, r.Endowments, 1e-9, "endowments");
                    Assert.Near(-2301.4951746797528, r.Coefficients, 1e-9, "coefficients");
                    Assert.Near(-0.33321079873025328, r.Interaction, 1e-9, "interaction");
                    Assert.SequenceEqual(new[] { "(Intercept)", "hours", "cost" }, r.Characteristic, "terms");
                    Assert.Near(1.265499413001878, r.ExplainedTerm[1], 1e-9, "hours' explained contribution");
                    Assert.Near(1.9249981134777963, r.ExplainedTerm[2], 1e-9, "cost's explained contribution");
                    Assert.True(r.GapSe > 0 && r.ExplainedSe > 0, "standard errors");
                }
                var withRegion = new OaxacaOptions { SubjectKind = SubjectKind.Measure, Subject = 2, Characteristics = new[] { "region" } };
                using (var d = a.OaxacaBlinderNumeric(withRegion, "hours"))
                {
                    var r = d.Result();
                    Assert.Near(-2298.4490106104449, r.Gap, 1e-12, "gap");
                    Assert.Near(1.3681381700065391, r.Explained, 1e-9, "explained");
                    Assert.Near(-2299.8171487804516, r.Unexplained, 1e-9, "unexplained");
                    Assert.Near(1.5571794951185765, r.Endowments, 1e-9, "endowments");
                    Assert.Near(-2299.6293653233106, r.Coefficients, 1e-9, "coefficients");
                    Assert.Near(-0.37682478225230781, r.Interaction, 1e-9, "interaction");
                }
                using (var d = a.OaxacaBlinderNumeric(new OaxacaOptions { SubjectKind = SubjectKind.Outcome, Subject = 0 }, "hours", "cost"))
                {
                    // numpy (see the class comment); small values: Near's tolerance is absolute below 1
                    var r = d.Result();
                    Assert.Near(-0.0003385237242202743, r.Gap, 1e-15, "LPM gap");
                    Assert.Near(0.00015135493290501496, r.Explained, 1e-12, "LPM explained");
                    Assert.Near(-0.0004898786571252893, r.Unexplained, 1e-12, "LPM unexplained");
                    Assert.Near(0.00016156427764924038, r.Endowments, 1e-12, "LPM endowments");
                    Assert.Near(-0.0004795515691431067, r.Coefficients, 1e-12, "LPM coefficients");
                    Assert.Near(-2.0536432727276678e-05, r.Interaction, 1e-12, "LPM interaction");
                }
            }
        }

        [Test]
        public static void BadRequestsSayWhat()
        {
            var options = new OaxacaOptions { SubjectKind = SubjectKind.Measure, Subject = 2 };
            using (var plain = MakeSchema(false))
            using (var without = Aggregate(plain, false))
            {
                var e = Assert.Throws<JamstatException>(() => without.OaxacaBlinderNumeric(options, "hours"), "no set");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("cross-product", e.Message, "message");
            }
            using (var s = MakeSchema(true))
            using (var a = Aggregate(s, false))
            {
                var e = Assert.Throws<JamstatException>(() => a.OaxacaBlinderNumeric(options, "days"), "a name not in the set");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("days", e.Message, "message");
                var nonlinear = new OaxacaOptions { SubjectKind = SubjectKind.Outcome, Subject = 0, Nonlinear = true };
                e = Assert.Throws<JamstatException>(() => a.OaxacaBlinderNumeric(nonlinear, "hours"), "nonlinear");
                Assert.Contains("linear", e.Message, "message");
                Assert.Throws<ArgumentNullException>(() => a.OaxacaBlinderNumeric(options, (string[])null), "null names");
            }
        }
    }
}
