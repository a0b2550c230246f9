using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>How tables are protected (JAMSTAT_DISCLOSURE_*).</summary>
    public enum DisclosureMethod
    {
        /// <summary>Primary and secondary suppression, audited (the default).</summary>
        CellSuppression = Constants.JAMSTAT_DISCLOSURE_CELL_SUPPRESSION,
        /// <summary>Counts perturbed by the cell key method; measures by suppression.</summary>
        CellKey = Constants.JAMSTAT_DISCLOSURE_CELL_KEY,
    }

    /// <summary>Dominance rule for sums of measures (JAMSTAT_DOMINANCE_*).</summary>
    public enum DominanceRule
    {
        /// <summary>No dominance rule.</summary>
        None = Constants.JAMSTAT_DOMINANCE_NONE,
        /// <summary>The p% rule (the default).</summary>
        PPercent = Constants.JAMSTAT_DOMINANCE_P_PERCENT,
        /// <summary>The (n,k)-dominance rule.</summary>
        NK = Constants.JAMSTAT_DOMINANCE_NK,
    }

    /// <summary>What a secondary suppression costs (JAMSTAT_SUPPRESSION_COST_*).</summary>
    public enum SuppressionCost
    {
        /// <summary>1 + the cell's persons (the default).</summary>
        Persons = Constants.JAMSTAT_SUPPRESSION_COST_PERSONS,
        /// <summary>1 per cell.</summary>
        Cells = Constants.JAMSTAT_SUPPRESSION_COST_CELLS,
    }

    /// <summary>How persons are handed over from a state that counts them (JAMSTAT_PERSONS_*).</summary>
    public enum PersonsSource
    {
        /// <summary>The person hashes (the default).</summary>
        FromHashes = Constants.JAMSTAT_PERSONS_FROM_HASHES,
        /// <summary>Only the distinct counts of every published cell.</summary>
        FromCounts = Constants.JAMSTAT_PERSONS_FROM_COUNTS,
    }

    /// <summary>Status of a statistic of a published cell (JAMSTAT_CELL_*).</summary>
    public enum CellStatus
    {
        /// <summary>Shown as computed.</summary>
        Published = Constants.JAMSTAT_CELL_PUBLISHED,
        /// <summary>Suppressed (".."): the cell itself is sensitive.</summary>
        Primary = Constants.JAMSTAT_CELL_PRIMARY,
        /// <summary>Suppressed (".."): hidden so that a sensitive cell cannot be computed.</summary>
        Secondary = Constants.JAMSTAT_CELL_SECONDARY,
        /// <summary>Shown with cell-key noise (parts need not add up to totals).</summary>
        Perturbed = Constants.JAMSTAT_CELL_PERTURBED,
    }

    /// <summary>Quantities the audit bounds (JAMSTAT_AUDIT_*).</summary>
    public enum AuditQuantity
    {
        /// <summary>Persons.</summary>
        Persons = Constants.JAMSTAT_AUDIT_PERSONS,
        /// <summary>Participations.</summary>
        Participations = Constants.JAMSTAT_AUDIT_PARTICIPATIONS,
        /// <summary>Successes of an outcome.</summary>
        Successes = Constants.JAMSTAT_AUDIT_SUCCESSES,
        /// <summary>Participations without an outcome.</summary>
        Failures = Constants.JAMSTAT_AUDIT_FAILURES,
        /// <summary>Sum of a measure.</summary>
        MeasureSum = Constants.JAMSTAT_AUDIT_MEASURE_SUM,
    }

    /// <summary>Options of disclosure control (jamstat_disclosure_options); defaults from
    /// JAMSTAT_DISCLOSURE_OPTIONS_INIT, reasons in docs/disclosure.md.</summary>
    public sealed class DisclosureOptions
    {
        /// <summary>Cell suppression (default) or the cell key method.</summary>
        public DisclosureMethod Method { get; set; }
        /// <summary>A cell with 1 .. threshold - 1 persons is sensitive (5).</summary>
        public ulong FrequencyThreshold { get; set; }
        /// <summary>Group disclosure threshold (10); 0 = off.</summary>
        public ulong GroupThreshold { get; set; }
        /// <summary>Dominance rule for sums (p%).</summary>
        public DominanceRule Dominance { get; set; }
        /// <summary>n of the (n,k) rule (2).</summary>
        public uint NkN { get; set; }
        /// <summary>p of the p% rule (10).</summary>
        public double PPercent { get; set; }
        /// <summary>k of the (n,k) rule in percent (85).</summary>
        public double NkK { get; set; }
        /// <summary>Protection interval of a sensitive count, as a fraction (0.3).</summary>
        public double FrequencyProtectionFraction { get; set; }
        /// <summary>Smallest protection interval of a sensitive count (1).</summary>
        public double FrequencyProtectionMinimum { get; set; }
        /// <summary>Group disclosure protection (1).</summary>
        public double GroupProtection { get; set; }
        /// <summary>Dominance protection at least this fraction of the sum (0).</summary>
        public double DominanceProtectionMinimumFraction { get; set; }
        /// <summary>Cost of secondary suppression (persons).</summary>
        public SuppressionCost Cost { get; set; }
        /// <summary>How persons are handed over (hashes).</summary>
        public PersonsSource Persons { get; set; }
        /// <summary>Cell key method: the publisher's 16-byte secret (null: all zero, refused).</summary>
        public byte[] CellKeySecret { get; set; }
        /// <summary>Cell key method: D (5).</summary>
        public uint PtableMaxDeviation { get; set; }
        /// <summary>Cell key method: js (2).</summary>
        public uint PtableSmallCountThreshold { get; set; }
        /// <summary>Cell key method: V (3).</summary>
        public double PtableVariance { get; set; }
        /// <summary>Cell key method: a ptable as CSV text (columns i, j, p), or null.</summary>
        public string PtableCsv { get; set; }

        /// <summary>The defaults of JAMSTAT_DISCLOSURE_OPTIONS_INIT.</summary>
        public DisclosureOptions()
        {
            var d = jamstat_disclosure_options.Init();
            Method = (DisclosureMethod)d.method;
            FrequencyThreshold = d.frequency_threshold;
            GroupThreshold = d.group_threshold;
            Dominance = (DominanceRule)d.dominance;
            NkN = d.nk_n;
            PPercent = d.p_percent;
            NkK = d.nk_k;
            FrequencyProtectionFraction = d.frequency_protection_fraction;
            FrequencyProtectionMinimum = d.frequency_protection_minimum;
            GroupProtection = d.group_protection;
            DominanceProtectionMinimumFraction = d.dominance_protection_minimum_fraction;
            Cost = (SuppressionCost)d.cost;
            Persons = (PersonsSource)d.persons;
            PtableMaxDeviation = d.ptable_max_deviation;
            PtableSmallCountThreshold = d.ptable_small_count_threshold;
            PtableVariance = d.ptable_variance;
        }

        internal unsafe jamstat_disclosure_options ToNative()
        {
            var o = jamstat_disclosure_options.Init();
            o.method = (uint)Method;
            o.frequency_threshold = FrequencyThreshold;
            o.group_threshold = GroupThreshold;
            o.dominance = (uint)Dominance;
            o.nk_n = NkN;
            o.p_percent = PPercent;
            o.nk_k = NkK;
            o.frequency_protection_fraction = FrequencyProtectionFraction;
            o.frequency_protection_minimum = FrequencyProtectionMinimum;
            o.group_protection = GroupProtection;
            o.dominance_protection_minimum_fraction = DominanceProtectionMinimumFraction;
            o.cost = (uint)Cost;
            o.persons = (uint)Persons;
            if (CellKeySecret != null)
            {
                if (CellKeySecret.Length != 16) throw new ArgumentException("CellKeySecret must be 16 bytes, got " + CellKeySecret.Length, "CellKeySecret");
                for (int i = 0; i < 16; ++i) o.cell_key_secret[i] = CellKeySecret[i];
            }
            o.ptable_max_deviation = PtableMaxDeviation;
            o.ptable_small_count_threshold = PtableSmallCountThreshold;
            o.ptable_variance = PtableVariance;
            return o;
        }
    }

    /// <summary>What protection did (jamstat_disclosure_summary).</summary>
    public sealed class DisclosureSummary
    {
        /// <summary>The method used.</summary>
        public DisclosureMethod Method { get; internal set; }
        /// <summary>Groupings protected.</summary>
        public ulong GroupingCount { get; internal set; }
        /// <summary>Every cell of every grouping.</summary>
        public ulong PublishedCells { get; internal set; }
        /// <summary>Cells whose counts are primary suppressed.</summary>
        public ulong PrimaryCells { get; internal set; }
        /// <summary>Cells whose counts are secondary suppressed.</summary>
        public ulong SecondaryCells { get; internal set; }
        /// <summary>Persons in primary suppressed cells.</summary>
        public ulong PrimaryPersons { get; internal set; }
        /// <summary>Persons in secondary suppressed cells.</summary>
        public ulong SecondaryPersons { get; internal set; }
        /// <summary>(cell, outcome) pairs hidden while the count is shown.</summary>
        public ulong OutcomeStatisticsSuppressed { get; internal set; }
        /// <summary>(cell, measure) pairs hidden while the count is shown.</summary>
        public ulong MeasureStatisticsSuppressed { get; internal set; }
        /// <summary>Cell key method: cells whose counts are perturbed.</summary>
        public ulong PerturbedCells { get; internal set; }
        /// <summary>Cell key method: perturbed counts lowered to the perturbed participations.</summary>
        public ulong CappedCells { get; internal set; }
        /// <summary>Persons are distinct persons.</summary>
        public bool PersonsCounted { get; internal set; }
        /// <summary>Cell keys come from the persons' record keys.</summary>
        public bool KeysFromPersons { get; internal set; }
        /// <summary>Rows of the audit.</summary>
        public ulong AuditRows { get; internal set; }
        /// <summary>Audit rows below their protection interval (0 after protection).</summary>
        public ulong UnderProtected { get; internal set; }
        /// <summary>Linear programs solved.</summary>
        public ulong LinearPrograms { get; internal set; }
        /// <summary>Seconds spent.</summary>
        public double Seconds { get; internal set; }
    }

    /// <summary>
    /// One protected grouping, column-wise (jamstat_protected_columns, copied): every array has
    /// CellCount values. Only publishable values: a suppressed count is null, a suppressed sum NaN.
    /// </summary>
    public sealed class ProtectedColumns
    {
        /// <summary>The grouping's mask (bit k = schema dimension k).</summary>
        public ulong GroupingMask { get; internal set; }
        /// <summary>Number of cells (every cell, empty ones included).</summary>
        public int CellCount { get; internal set; }
        /// <summary>Row of each cell in the C columns (what the audit's Cell names).</summary>
        public long[] Cell { get; internal set; }
        /// <summary>Schema indices of the grouped dimensions, in schema order.</summary>
        public int[] Dimensions { get; internal set; }
        /// <summary>[dimension][cell] level indices.</summary>
        public uint[][] LevelIndices { get; internal set; }
        /// <summary>[dimension][cell] level codes.</summary>
        public int[][] LevelCodes { get; internal set; }
        /// <summary>[dimension][cell] level labels in Swedish.</summary>
        public string[][] LabelsSv { get; internal set; }
        /// <summary>[dimension][cell] level labels in English.</summary>
        public string[][] LabelsEn { get; internal set; }
        /// <summary>Status of the counts (and of every statistic when suppressed).</summary>
        public CellStatus[] CountStatus { get; internal set; }
        /// <summary>Distinct persons (participations when persons are not counted); null when suppressed.</summary>
        public ulong?[] Persons { get; internal set; }
        /// <summary>Participations; null when suppressed.</summary>
        public ulong?[] Participations { get; internal set; }
        /// <summary>Outcome names.</summary>
        public string[] Outcomes { get; internal set; }
        /// <summary>[outcome][cell] status.</summary>
        public CellStatus[][] OutcomeStatus { get; internal set; }
        /// <summary>[outcome][cell] successes; null when suppressed.</summary>
        public ulong?[][] Successes { get; internal set; }
        /// <summary>Measure names.</summary>
        public string[] Measures { get; internal set; }
        /// <summary>[measure][cell] status.</summary>
        public CellStatus[][] MeasureStatus { get; internal set; }
        /// <summary>[measure][cell] sums; NaN when suppressed.</summary>
        public double[][] MeasureSums { get; internal set; }

        /// <summary>[dimension][cell] labels in <paramref name="language"/>.</summary>
        public string[][] Labels(Language language) { return language == Language.English ? LabelsEn : LabelsSv; }
    }

    /// <summary>The audit of cell suppression (jamstat_disclosure_audit, copied): one row per
    /// (suppressed statistic, quantity). Value and the required bounds are the TRUE figures: for
    /// the publisher only; only Lower and Upper may be stated in a publication.</summary>
    public sealed class DisclosureAudit
    {
        /// <summary>Rows.</summary>
        public int Count { get; internal set; }
        /// <summary>Quantity bounded.</summary>
        public AuditQuantity[] Quantity { get; internal set; }
        /// <summary>Outcome or measure index (0 for counts).</summary>
        public uint[] Index { get; internal set; }
        /// <summary>Index into the groupings.</summary>
        public uint[] Grouping { get; internal set; }
        /// <summary>Row in that grouping's C columns (ProtectedColumns.Cell).</summary>
        public ulong[] Cell { get; internal set; }
        /// <summary>The true value.</summary>
        public double[] Value { get; internal set; }
        /// <summary>Lower bound an attacker derives.</summary>
        public double[] Lower { get; internal set; }
        /// <summary>Upper bound an attacker derives.</summary>
        public double[] Upper { get; internal set; }
        /// <summary>Required lower bound (NaN for a complement).</summary>
        public double[] RequiredLower { get; internal set; }
        /// <summary>Required upper bound (NaN for a complement).</summary>
        public double[] RequiredUpper { get; internal set; }
        /// <summary>False when sensitive and under-protected.</summary>
        public bool[] ProtectedEnough { get; internal set; }
    }

    /// <summary>
    /// The groupings of one state, protected at once as linked tables (docs/disclosure.md), from
    /// <see cref="Aggregator.ProtectedTables(string[][], DisclosureOptions)"/>. It outlives the aggregator.
    /// </summary>
    public sealed class ProtectedTables : IDisposable
    {
        /// <summary>Printed beside every table protected by the cell key method.</summary>
        public const string CellKeyNote = "Värdena är slumpmässigt störda (cellnyckelmetoden); delar summerar inte nödvändigtvis till totaler. / " +
                                          "Values are perturbed (cell key method); parts need not add up to totals.";

        readonly ProtectedTablesHandle handle;
        readonly ulong[] masks;
        readonly string[] dimensionNames, outcomeNames, measureNames;
        readonly string[][] levelSv, levelEn;
        readonly int[][] levelCodesOf;

        ProtectedTables(ProtectedTablesHandle handle, ulong[] masks, Schema schema)
        {
            this.handle = handle;
            this.masks = masks;
            int d = schema.DimensionCount, o = schema.OutcomeCount, m = schema.NumericCount;
            dimensionNames = new string[d];
            levelSv = new string[d][];
            levelEn = new string[d][];
            levelCodesOf = new int[d][];
            for (int k = 0; k < d; ++k)
            {
                dimensionNames[k] = schema.DimensionName(k);
                int n = schema.LevelCount(k);
                levelSv[k] = new string[n];
                levelEn[k] = new string[n];
                levelCodesOf[k] = new int[n];
                for (int l = 0; l < n; ++l)
                {
                    var lv = schema.Level(k, l);
                    levelSv[k][l] = lv.LabelSv;
                    levelEn[k][l] = lv.LabelEn;
                    levelCodesOf[k][l] = lv.Code;
                }
            }
            outcomeNames = new string[o];
            for (int k = 0; k < o; ++k) outcomeNames[k] = schema.FieldName(d + k);
            measureNames = new string[m];
            for (int k = 0; k < m; ++k) measureNames[k] = schema.FieldName(d + o + k);
        }

        internal static unsafe ProtectedTables Create(Aggregator aggregator, ulong[] masks, DisclosureOptions options)
        {
            if (masks == null) throw new ArgumentNullException("masks");
            ProtectedTablesHandle h;
            var o = (options ?? new DisclosureOptions()).ToNative();
            byte[] csv = options != null && options.PtableCsv != null ? Utf8.Encode(options.PtableCsv, "PtableCsv") : null;
            fixed (ulong* m = masks)
            fixed (byte* c = csv)
            {
                if (csv != null) o.ptable_csv = c;
                Check.Ok(NativeMethods.jamstat_protected_tables_new(aggregator.Handle, m, new UIntPtr((uint)masks.Length), &o, out h));
            }
            using (var s = aggregator.GetSchema())
                return new ProtectedTables(h, (ulong[])masks.Clone(), s);
        }

        /// <summary>The mask of named dimensions ("sex" included explicitly; none = the total).</summary>
        internal static ulong MaskOf(Schema schema, string[] grouping)
        {
            ulong mask = 0;
            foreach (var name in grouping ?? new string[0])
            {
                int k = schema.DimensionIndex(name);
                if ((mask >> k & 1) != 0) throw new ArgumentException("dimension " + name + " is named twice in a grouping", "groupings");
                mask |= 1UL << k;
            }
            return mask;
        }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public ProtectedTablesHandle Handle { get { return handle; } }

        /// <summary>Number of groupings.</summary>
        public int Count { get { return masks.Length; } }

        /// <summary>Dimension names of grouping g, in schema order.</summary>
        public string[] GroupingDimensions(int g)
        {
            var names = new List<string>();
            for (int k = 0; k < dimensionNames.Length; ++k)
                if ((masks[g] >> k & 1) != 0) names.Add(dimensionNames[k]);
            return names.ToArray();
        }

        /// <summary>What protection did.</summary>
        public unsafe DisclosureSummary Summary()
        {
            var s = jamstat_disclosure_summary.Init();
            Check.Ok(NativeMethods.jamstat_protected_tables_summary(handle, &s));
            return new DisclosureSummary
            {
                Method = (DisclosureMethod)s.method, GroupingCount = s.grouping_count, PublishedCells = s.published_cells,
                PrimaryCells = s.primary_cells, SecondaryCells = s.secondary_cells, PrimaryPersons = s.primary_persons,
                SecondaryPersons = s.secondary_persons, OutcomeStatisticsSuppressed = s.outcome_statistics_suppressed,
                MeasureStatisticsSuppressed = s.measure_statistics_suppressed, PerturbedCells = s.perturbed_cells,
                CappedCells = s.capped_cells, PersonsCounted = s.persons_counted != 0, KeysFromPersons = s.keys_from_persons != 0,
                AuditRows = s.audit_rows, UnderProtected = s.under_protected, LinearPrograms = s.linear_programs, Seconds = s.seconds,
            };
        }

        /// <summary>The method the tables were protected with.</summary>
        public DisclosureMethod Method { get { return Summary().Method; } }

        /// <summary>The note every output of the cell key method must carry ("" under cell suppression).</summary>
        public string Note { get { return Method == DisclosureMethod.CellKey ? CellKeyNote : ""; } }

        static ulong? Published(ulong v) { return v == ulong.MaxValue ? (ulong?)null : v; }

        static int SexRank(int code)
        {
            int r = Array.IndexOf(new[] { Sex.Female, Sex.Male, Sex.NotKnown, Sex.NotApplicable }, code);
            return r < 0 ? 4 : r;
        }

        /// <summary>Grouping g, copied; in reporting order (Kvinnor, Män, Okänt, Ej tillämpligt,
        /// then level order) unless <paramref name="reportingOrder"/> is false (the C row order).</summary>
        public unsafe ProtectedColumns Grouping(int g, bool reportingOrder = true)
        {
            if (g < 0 || g >= masks.Length) throw new ArgumentOutOfRangeException("g", "grouping " + g + " of " + masks.Length);
            var c = jamstat_protected_columns.Init();
            Check.Ok(NativeMethods.jamstat_protected_tables_grouping(handle, new UIntPtr((uint)g), &c));
            int n = checked((int)c.cell_count), dc = checked((int)c.dimension_count);
            int oc = checked((int)c.outcome_count), mc = checked((int)c.measure_count);
            var dims = new int[dc];
            for (int k = 0; k < dc; ++k) dims[k] = checked((int)(ulong)c.dimensions[k]);
            var rows = new long[n];
            for (int i = 0; i < n; ++i) rows[i] = i;
            if (reportingOrder)
            {
                var keys = new long[n];
                for (int i = 0; i < n; ++i)
                {
                    long key = 0;
                    for (int k = 0; k < dc; ++k)
                    {
                        long part = dims[k] == 0 ? SexRank(c.level_codes[k][i]) : (long)c.level_indices[k][i];
                        key = key * 65536 + part;
                    }
                    keys[i] = key * (long)n + i;
                }
                Array.Sort(keys, rows);
            }
            var r = new ProtectedColumns
            {
                GroupingMask = c.grouping_mask, CellCount = n, Cell = rows, Dimensions = dims,
                LevelIndices = new uint[dc][], LevelCodes = new int[dc][], LabelsSv = new string[dc][], LabelsEn = new string[dc][],
                CountStatus = new CellStatus[n], Persons = new ulong?[n], Participations = new ulong?[n],
                Outcomes = (string[])outcomeNames.Clone(), OutcomeStatus = new CellStatus[oc][], Successes = new ulong?[oc][],
                Measures = (string[])measureNames.Clone(), MeasureStatus = new CellStatus[mc][], MeasureSums = new double[mc][],
            };
            for (int k = 0; k < dc; ++k)
            {
                r.LevelIndices[k] = new uint[n];
                r.LevelCodes[k] = new int[n];
                r.LabelsSv[k] = new string[n];
                r.LabelsEn[k] = new string[n];
            }
            for (int k = 0; k < oc; ++k) { r.OutcomeStatus[k] = new CellStatus[n]; r.Successes[k] = new ulong?[n]; }
            for (int k = 0; k < mc; ++k) { r.MeasureStatus[k] = new CellStatus[n]; r.MeasureSums[k] = new double[n]; }
            for (int j = 0; j < n; ++j)
            {
                long i = rows[j];
                for (int k = 0; k < dc; ++k)
                {
                    uint level = c.level_indices[k][i];
                    r.LevelIndices[k][j] = level;
                    r.LevelCodes[k][j] = c.level_codes[k][i];
                    r.LabelsSv[k][j] = levelSv[dims[k]][level];
                    r.LabelsEn[k][j] = levelEn[dims[k]][level];
                }
                r.CountStatus[j] = (CellStatus)c.count_status[i];
                r.Persons[j] = Published(c.persons[i]);
                r.Participations[j] = Published(c.participations[i]);
                for (int k = 0; k < oc; ++k)
                {
                    r.OutcomeStatus[k][j] = (CellStatus)c.outcome_status[k][i];
                    r.Successes[k][j] = Published(c.successes[k][i]);
                }
                for (int k = 0; k < mc; ++k)
                {
                    r.MeasureStatus[k][j] = (CellStatus)c.measure_status[k][i];
                    r.MeasureSums[k][j] = c.measure_sums[k][i];
                }
            }
            return r;
        }

        /// <summary>The audit (cell suppression; empty under the cell key method), copied.</summary>
        public unsafe DisclosureAudit Audit()
        {
            var a = jamstat_disclosure_audit.Init();
            Check.Ok(NativeMethods.jamstat_protected_tables_audit(handle, &a));
            int n = checked((int)a.count);
            var r = new DisclosureAudit
            {
                Count = n, Quantity = new AuditQuantity[n], Index = new uint[n], Grouping = new uint[n], Cell = new ulong[n],
                Value = new double[n], Lower = new double[n], Upper = new double[n], RequiredLower = new double[n],
                RequiredUpper = new double[n], ProtectedEnough = new bool[n],
            };
            for (int i = 0; i < n; ++i)
            {
                r.Quantity[i] = (AuditQuantity)a.quantity[i];
                r.Index[i] = a.index[i];
                r.Grouping[i] = a.grouping[i];
                r.Cell[i] = a.cell[i];
                r.Value[i] = a.value[i];
                r.Lower[i] = a.lower[i];
                r.Upper[i] = a.upper[i];
                r.RequiredLower[i] = a.required_lower[i];
                r.RequiredUpper[i] = a.required_upper[i];
                r.ProtectedEnough[i] = a.protected_enough[i] != 0;
            }
            return r;
        }

        /// <summary>Grouping g as text to publish: one line per non-empty cell, suppressed values as
        /// "..", and under the cell key method the note that parts need not add up to totals.</summary>
        public string ToText(int g, Language language = Language.Swedish)
        {
            var c = Grouping(g);
            var labels = c.Labels(language);
            var sb = new StringBuilder();
            for (int i = 0; i < c.CellCount; ++i)
            {
                if (c.Participations[i] == 0) continue;  // published as empty
                var parts = new List<string>();
                for (int k = 0; k < c.Dimensions.Length; ++k) parts.Add(labels[k][i]);
                sb.Append(parts.Count == 0 ? Library.TotalLabel(language) : string.Join(", ", parts.ToArray()));
                sb.Append(": ").Append(Text(c.Persons[i])).Append(language == Language.English ? " persons" : " personer");
                for (int k = 0; k < c.Outcomes.Length; ++k)
                    sb.Append(", ").Append(c.Outcomes[k]).Append(' ').Append(Text(c.Successes[k][i]));
                sb.Append(" (").Append(c.CountStatus[i].ToString().ToLowerInvariant()).Append(")\n");
            }
            if (Method == DisclosureMethod.CellKey) sb.Append(CellKeyNote).Append('\n');
            return sb.ToString();
        }

        static string Text(ulong? v) { return v.HasValue ? v.Value.ToString(CultureInfo.InvariantCulture) : ".."; }

        /// <summary>Frees the protected tables.</summary>
        public void Dispose() { handle.Dispose(); }
    }
}
