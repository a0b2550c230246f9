using System;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>
    /// A target group (e.g. the registered population by sex and age band) for the gap report's
    /// participation findings: population counts per cell of some dimensions, by sex code.
    /// </summary>
    public sealed class TargetGroup : IDisposable
    {
        readonly TargetGroupHandle handle;
        readonly int dimensionCount;

        /// <summary>A target group over these schema dimensions (none but sex: an empty array).</summary>
        public unsafe TargetGroup(Schema schema, params int[] dimensions)
        {
            if (schema == null) throw new ArgumentNullException("schema");
            if (dimensions == null) dimensions = new int[0];
            var d = new UIntPtr[dimensions.Length];
            for (int i = 0; i < d.Length; ++i) d[i] = Schema.Size(dimensions[i], "dimensions");
            fixed (UIntPtr* p = d)
                Check.Ok(NativeMethods.jamstat_target_group_new(schema.Handle, p, new UIntPtr((uint)d.Length), out handle));
            dimensionCount = d.Length;
        }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public TargetGroupHandle Handle { get { return handle; } }

        /// <summary>Adds one cell: level indices (one per dimension of the group), a sex code, the population.</summary>
        public unsafe TargetGroup Add(uint[] levelIndices, int sex, ulong population)
        {
            if (levelIndices == null) levelIndices = new uint[0];
            fixed (uint* l = levelIndices)
                Check.Ok(NativeMethods.jamstat_target_group_add(handle, l, new UIntPtr((uint)levelIndices.Length), sex, population));
            return this;
        }

        /// <summary>Number of dimensions (besides sex).</summary>
        public int DimensionCount { get { return dimensionCount; } }

        /// <summary>Frees the target group.</summary>
        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>When an exact test replaces the chi-square test.</summary>
    public enum ExactRule
    {
        /// <summary>When any expected count is below 5 (the default).</summary>
        AnyExpectedBelow5 = Constants.JAMSTAT_EXACT_ANY_EXPECTED_BELOW_5,
        /// <summary>Cochran's rule.</summary>
        Cochran = Constants.JAMSTAT_EXACT_COCHRAN,
        /// <summary>Always exact.</summary>
        Always = Constants.JAMSTAT_EXACT_ALWAYS,
        /// <summary>Never exact.</summary>
        Never = Constants.JAMSTAT_EXACT_NEVER,
    }

    /// <summary>What the gap report compares (jamstat_gap_options); defaults from JAMSTAT_GAP_OPTIONS_INIT.</summary>
    public sealed class GapOptions
    {
        /// <summary>Dimension names: findings per level and the distribution over them.</summary>
        public string[] CompareAcross { get; set; }
        /// <summary>Legitimate factors (dimension names) to stratify by.</summary>
        public string[] AdjustFor { get; set; }
        /// <summary>Outcomes that are offered sub-interventions (delinsatser), not results.</summary>
        public string[] OfferedOutcomes { get; set; }
        /// <summary>The target group of the participation findings (null: none).</summary>
        public TargetGroup Target { get; set; }
        /// <summary>The previous period (same schema): its gaps and the change of every gap.</summary>
        public Aggregator Previous { get; set; }
        /// <summary>Label of the current period, e.g. "2025".</summary>
        public string CurrentPeriod { get; set; }
        /// <summary>Label of the previous period, e.g. "2024".</summary>
        public string PreviousPeriod { get; set; }
        /// <summary>Confidence level of the intervals (0.95).</summary>
        public double ConfidenceLevel { get; set; }
        /// <summary>At least this many women and men to compare (10).</summary>
        public ulong MinimumPersons { get; set; }
        /// <summary>Yates / CMH continuity correction (off by default).</summary>
        public bool ContinuityCorrection { get; set; }
        /// <summary>When an exact test replaces the chi-square test.</summary>
        public ExactRule ExactRule { get; set; }
        /// <summary>Beyond this many steps an exact test becomes a Monte-Carlo estimate (5,000,000).</summary>
        public ulong MaxExactSteps { get; set; }
        /// <summary>Monte-Carlo replicates (10,000).</summary>
        public ulong MonteCarloReplicates { get; set; }
        /// <summary>Seed of the Monte-Carlo estimates (5218).</summary>
        public ulong Seed { get; set; }

        /// <summary>The defaults of JAMSTAT_GAP_OPTIONS_INIT.</summary>
        public GapOptions()
        {
            var d = jamstat_gap_options.Init();
            ConfidenceLevel = d.confidence_level;
            MinimumPersons = d.minimum_persons;
            ContinuityCorrection = d.continuity_correction != 0;
            ExactRule = (ExactRule)d.exact_rule;
            MaxExactSteps = d.max_exact_steps;
            MonteCarloReplicates = d.monte_carlo_replicates;
            Seed = d.seed;
        }
    }

    /// <summary>
    /// The gap report (docs/methods-gap.md): women and men compared in who participates, what
    /// they are offered, which results they achieve and which resources they get, raw and
    /// adjusted, in one period or two, with Benjamini-Hochberg q-values and verdicts in Swedish
    /// and English. <see cref="Findings"/> is the findings table, column-wise.
    /// </summary>
    public sealed class GapReport : IDisposable
    {
        readonly GapReportHandle handle;

        GapReport(GapReportHandle handle) { this.handle = handle; }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public GapReportHandle Handle { get { return handle; } }

        internal static GapReport Create(Aggregator aggregator, GapOptions options)
        {
            return Create(aggregator, null, options);
        }

        /// <summary>The gap report (strata == null) or the strata report over these dimensions.</summary>
        internal static unsafe GapReport Create(Aggregator aggregator, string[] strata, GapOptions options)
        {
            GapReportHandle h;
            if (options == null)
            {
                if (strata == null)
                    Check.Ok(NativeMethods.jamstat_gap_report_new(aggregator.Handle, null, out h));
                else
                    using (var dims = new Utf8Array(strata, "dimensions"))
                        Check.Ok(NativeMethods.jamstat_strata_report_new(aggregator.Handle, dims.Pointer, new UIntPtr((uint)dims.Count), null, out h));
                return new GapReport(h);
            }
            var o = jamstat_gap_options.Init();
            bool targetRef = false, previousRef = false;
            var target = options.Target == null ? null : options.Target.Handle;
            var previous = options.Previous == null ? null : options.Previous.Handle;
            using (var across = new Utf8Array(options.CompareAcross, "CompareAcross"))
            using (var adjust = new Utf8Array(options.AdjustFor, "AdjustFor"))
            using (var offered = new Utf8Array(options.OfferedOutcomes, "OfferedOutcomes"))
            fixed (byte* current = Utf8.Encode(options.CurrentPeriod, "CurrentPeriod"))
            fixed (byte* before = Utf8.Encode(options.PreviousPeriod, "PreviousPeriod"))
            {
                try
                {
                    // Handles inside a struct are not marshalled: keep them alive by hand.
                    if (target != null)
                    {
                        target.DangerousAddRef(ref targetRef);
                        o.target = target.DangerousGetHandle();
                    }
                    if (previous != null)
                    {
                        previous.DangerousAddRef(ref previousRef);
                        o.previous = previous.DangerousGetHandle();
                    }
                    o.compare_across = across.Pointer;
                    o.compare_across_count = new UIntPtr((uint)across.Count);
                    o.adjust_for = adjust.Pointer;
                    o.adjust_for_count = new UIntPtr((uint)adjust.Count);
                    o.offered_outcomes = offered.Pointer;
                    o.offered_outcome_count = new UIntPtr((uint)offered.Count);
                    o.current_period = current;
                    o.previous_period = before;
                    o.confidence_level = options.ConfidenceLevel;
                    o.minimum_persons = options.MinimumPersons;
                    o.continuity_correction = options.ContinuityCorrection ? 1u : 0u;
                    o.exact_rule = (uint)options.ExactRule;
                    o.max_exact_steps = options.MaxExactSteps;
                    o.monte_carlo_replicates = options.MonteCarloReplicates;
                    o.seed = options.Seed;
                    if (strata == null)
                        Check.Ok(NativeMethods.jamstat_gap_report_new(aggregator.Handle, &o, out h));
                    else
                        using (var dims = new Utf8Array(strata, "dimensions"))
                            Check.Ok(NativeMethods.jamstat_strata_report_new(aggregator.Handle, dims.Pointer, new UIntPtr((uint)dims.Count), &o, out h));
                }
                finally
                {
                    if (targetRef) target.DangerousRelease();
                    if (previousRef) previous.DangerousRelease();
                }
            }
            return new GapReport(h);
        }

        /// <summary>The findings table, copied column-wise (every array has Count values).</summary>
        public unsafe Findings Findings()
        {
            var f = jamstat_findings.Init();
            Check.Ok(NativeMethods.jamstat_gap_report_findings(handle, &f));
            var c = Jamstat.Findings.Copy(ref f, checked((long)f.count));
            c.Count = checked((int)f.count);
            return c;
        }

        /// <summary>
        /// The strata of a strata report (Aggregator.StrataReport): a stratum's findings have
        /// GroupingDimension 0 and GroupingLevel its index here.
        /// </summary>
        public unsafe Strata Strata()
        {
            var st = jamstat_strata.Init();
            Check.Ok(NativeMethods.jamstat_gap_report_strata(handle, &st));
            long n = checked((long)st.count);
            int dims = checked((int)st.dimension_count);
            var r = new Strata
            {
                Count = checked((int)n),
                Dimensions = ColumnCopy.Values(st.dimensions, dims) ?? new int[0],
                LevelIndices = new uint[dims][],
                LabelsSv = ColumnCopy.Strings(st.label_sv, n),
                LabelsEn = ColumnCopy.Strings(st.label_en, n),
            };
            for (int d = 0; d < dims; ++d) r.LevelIndices[d] = ColumnCopy.Values(st.level_indices[d], n);
            return r;
        }

        /// <summary>Number of tests in the report (the family of the q-values).</summary>
        public unsafe ulong Tests
        {
            get
            {
                ulong tests;
                double level;
                Check.Ok(NativeMethods.jamstat_gap_report_tests(handle, &tests, &level));
                return tests;
            }
        }

        /// <summary>The significance level (1 - confidence level).</summary>
        public unsafe double SignificanceLevel
        {
            get
            {
                ulong tests;
                double level;
                Check.Ok(NativeMethods.jamstat_gap_report_tests(handle, &tests, &level));
                return level;
            }
        }

        /// <summary>Frees the report.</summary>
        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>The gap report's findings (generated columns in Interop.g.cs).</summary>
    public sealed partial class Findings
    {
        /// <summary>Number of findings (the length of every column).</summary>
        public int Count { get; internal set; }
    }

    /// <summary>Kinds of finding (Findings.Kind).</summary>
    public static class FindingKind
    {
        /// <summary>Participants / target-group population.</summary>
        public const int ParticipationRate = Constants.JAMSTAT_FINDING_PARTICIPATION_RATE;
        /// <summary>Women's share of participants vs of the target group.</summary>
        public const int ParticipationShare = Constants.JAMSTAT_FINDING_PARTICIPATION_SHARE;
        /// <summary>An outcome's proportion.</summary>
        public const int Outcome = Constants.JAMSTAT_FINDING_OUTCOME;
        /// <summary>Women's and men's participations over a dimension's levels.</summary>
        public const int Distribution = Constants.JAMSTAT_FINDING_DISTRIBUTION;
        /// <summary>One level of that distribution.</summary>
        public const int DistributionLevel = Constants.JAMSTAT_FINDING_DISTRIBUTION_LEVEL;
        /// <summary>A measure's mean per participation.</summary>
        public const int MeasureMean = Constants.JAMSTAT_FINDING_MEASURE_MEAN;
        /// <summary>A measure's sum per person.</summary>
        public const int MeasurePerPerson = Constants.JAMSTAT_FINDING_MEASURE_PER_PERSON;
        /// <summary>Women's share of a measure's total vs of the participations.</summary>
        public const int ResourceShare = Constants.JAMSTAT_FINDING_RESOURCE_SHARE;
    }

    /// <summary>Periods of a finding (Findings.Period).</summary>
    public static class FindingPeriod
    {
        /// <summary>The current period.</summary>
        public const int Current = Constants.JAMSTAT_PERIOD_CURRENT;
        /// <summary>The previous period.</summary>
        public const int Previous = Constants.JAMSTAT_PERIOD_PREVIOUS;
        /// <summary>The change of the gap from the previous period.</summary>
        public const int Change = Constants.JAMSTAT_PERIOD_CHANGE;
    }
}
