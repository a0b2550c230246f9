using System;
using System.Collections.Generic;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>Counts of one cell (jamstat_cell_counts).</summary>
    public struct CellCounts
    {
        /// <summary>Records.</summary>
        public ulong Participations { get; internal set; }
        /// <summary>Distinct persons, or null when the aggregator does not count persons.</summary>
        public ulong? Persons { get; internal set; }
        /// <summary>Anonymous participants (only in groupings with no dimension but sex).</summary>
        public ulong AnonymousParticipants { get; internal set; }
    }

    /// <summary>Statistics of one numeric measure in one cell (jamstat_numeric_stats).</summary>
    public struct NumericStats
    {
        /// <summary>Values.</summary>
        public ulong Count { get; internal set; }
        /// <summary>Sum.</summary>
        public double Sum { get; internal set; }
        /// <summary>Mean; NaN when Count == 0.</summary>
        public double Mean { get; internal set; }
        /// <summary>Sample variance (n - 1); NaN when Count &lt; 2.</summary>
        public double Variance { get; internal set; }
        /// <summary>Sample standard deviation; NaN when Count &lt; 2.</summary>
        public double Sd { get; internal set; }
        /// <summary>Smallest value; NaN when Count == 0.</summary>
        public double Min { get; internal set; }
        /// <summary>Largest value; NaN when Count == 0.</summary>
        public double Max { get; internal set; }
        /// <summary>Second largest value (with repeats); NaN when Count &lt; 2.</summary>
        public double SecondMax { get; internal set; }
        /// <summary>The measure's kind.</summary>
        public MeasureKind Kind { get; internal set; }
        /// <summary>Decimal measures: the grid's decimals.</summary>
        public int Decimals { get; internal set; }
    }

    /// <summary>
    /// A whole roll-up table copied column-wise (jamstat_table_columns): every array has
    /// CellCount values, in reporting order (Kvinnor, Män, Okänt, Ej tillämpligt) or in the
    /// table's order.
    /// </summary>
    public sealed class TableColumns
    {
        /// <summary>Number of cells.</summary>
        public int CellCount { get; internal set; }
        /// <summary>Schema index of each grouped dimension, in the table's order.</summary>
        public int[] Dimensions { get; internal set; }
        /// <summary>[dimension][cell] level indices.</summary>
        public uint[][] LevelIndices { get; internal set; }
        /// <summary>[dimension][cell] level codes.</summary>
        public int[][] LevelCodes { get; internal set; }
        /// <summary>[dimension][cell] level labels in Swedish.</summary>
        public string[][] LabelsSv { get; internal set; }
        /// <summary>[dimension][cell] level labels in English.</summary>
        public string[][] LabelsEn { get; internal set; }
        /// <summary>Records per cell.</summary>
        public ulong[] Participations { get; internal set; }
        /// <summary>Distinct persons per cell; null when persons are not counted.</summary>
        public ulong[] Persons { get; internal set; }
        /// <summary>Anonymous participants per cell; null unless the table groups by at most sex.</summary>
        public ulong[] AnonymousParticipants { get; internal set; }
        /// <summary>[outcome][cell] successes.</summary>
        public ulong[][] Successes { get; internal set; }
        /// <summary>[measure] statistics, each an array per cell.</summary>
        public MeasureColumns[] Measures { get; internal set; }

        /// <summary>[dimension][cell] labels in <paramref name="language"/>.</summary>
        public string[][] Labels(Language language) { return language == Language.English ? LabelsEn : LabelsSv; }
    }

    /// <summary>
    /// A roll-up table: the non-empty cells of a grouping (or the total's one cell). It outlives
    /// the aggregator and schema it came from.
    /// </summary>
    public sealed class Table : IDisposable
    {
        readonly TableHandle handle;

        internal Table(TableHandle handle) { this.handle = handle; }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public TableHandle Handle { get { return handle; } }

        /// <summary>Number of cells (the non-empty ones; the total has its one cell always).</summary>
        public unsafe int CellCount
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_table_cell_count(handle, &n));
                return checked((int)(ulong)n);
            }
        }

        /// <summary>Number of grouped dimensions.</summary>
        public unsafe int DimensionCount
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_table_dimension_count(handle, &n));
                return checked((int)(ulong)n);
            }
        }

        /// <summary>Schema index of the k-th grouped dimension (in the caller's order).</summary>
        public unsafe int Dimension(int k)
        {
            UIntPtr d;
            Check.Ok(NativeMethods.jamstat_table_dimension(handle, Schema.Size(k, "k"), &d));
            return checked((int)(ulong)d);
        }

        /// <summary>The k-th grouped dimension's level of a cell: index, code and label in <paramref name="language"/>.</summary>
        public unsafe Level CellLevel(int cell, int k, Language language = Language.Swedish)
        {
            uint index;
            int code;
            byte* label = null;
            Check.Ok(NativeMethods.jamstat_table_cell_level(handle, Schema.Size(cell, "cell"), Schema.Size(k, "k"), &index, &code, (int)language, &label));
            string l = Utf8.Decode(label);
            return new Level((int)index, code, language == Language.Swedish ? l : null, language == Language.English ? l : null);
        }

        /// <summary>
        /// The cell with these level indices (one per grouped dimension, in the table's order).
        /// An empty cell is a JamstatException (Status.ErrorInvalidArgument), as in C.
        /// </summary>
        public unsafe int Find(params uint[] levelIndices)
        {
            if (levelIndices == null) throw new ArgumentNullException("levelIndices");
            UIntPtr cell;
            fixed (uint* l = levelIndices)
                Check.Ok(NativeMethods.jamstat_table_find(handle, l, new UIntPtr((uint)levelIndices.Length), &cell));
            return checked((int)(ulong)cell);
        }

        /// <summary>Counts of a cell.</summary>
        public unsafe CellCounts Counts(int cell)
        {
            var c = jamstat_cell_counts.Init();
            Check.Ok(NativeMethods.jamstat_table_cell_counts(handle, Schema.Size(cell, "cell"), &c));
            return new CellCounts
            {
                Participations = c.participations,
                Persons = c.has_persons != 0 ? c.persons : (ulong?)null,
                AnonymousParticipants = c.anonymous_participants,
            };
        }

        /// <summary>Successes of an outcome in a cell.</summary>
        public unsafe ulong Successes(int cell, int outcome)
        {
            ulong s;
            double p;
            Check.Ok(NativeMethods.jamstat_table_cell_outcome(handle, Schema.Size(cell, "cell"), Schema.Size(outcome, "outcome"), &s, &p));
            return s;
        }

        /// <summary>Proportion of the participations with the outcome (NaN when none).</summary>
        public unsafe double Proportion(int cell, int outcome)
        {
            ulong s;
            double p;
            Check.Ok(NativeMethods.jamstat_table_cell_outcome(handle, Schema.Size(cell, "cell"), Schema.Size(outcome, "outcome"), &s, &p));
            return p;
        }

        /// <summary>Statistics of numeric measure <paramref name="measure"/> in a cell.</summary>
        public unsafe NumericStats Numeric(int cell, int measure)
        {
            var n = jamstat_numeric_stats.Init();
            Check.Ok(NativeMethods.jamstat_table_cell_numeric(handle, Schema.Size(cell, "cell"), Schema.Size(measure, "measure"), &n));
            return new NumericStats
            {
                Count = n.count, Sum = n.sum, Mean = n.mean, Variance = n.variance, Sd = n.sd,
                Min = n.min, Max = n.max, SecondMax = n.second_max, Kind = (MeasureKind)n.kind, Decimals = (int)n.decimals,
            };
        }

        /// <summary>
        /// The whole table column-wise in one call, copied into managed arrays. With
        /// <paramref name="reportingOrder"/> (the default) cells come in the order Swedish tables
        /// use: Kvinnor, Män, Okänt, Ej tillämpligt; otherwise in the table's order.
        /// </summary>
        public unsafe TableColumns Export(bool reportingOrder = true)
        {
            var c = jamstat_table_columns.Init();
            Check.Ok(NativeMethods.jamstat_table_export(handle, reportingOrder ? Constants.JAMSTAT_EXPORT_REPORTING_ORDER : 0u, &c));
            long n = checked((long)c.cell_count);
            int dims = checked((int)c.dimension_count);
            var t = new TableColumns
            {
                CellCount = checked((int)n),
                Dimensions = ColumnCopy.Values(c.dimensions, dims) ?? new int[0],
                LevelIndices = new uint[dims][],
                LevelCodes = new int[dims][],
                LabelsSv = new string[dims][],
                LabelsEn = new string[dims][],
                Participations = ColumnCopy.Values(c.participations, n),
                Persons = ColumnCopy.Values(c.persons, n),
                AnonymousParticipants = ColumnCopy.Values(c.anonymous_participants, n),
                Successes = new ulong[checked((int)c.outcome_count)][],
                Measures = new MeasureColumns[checked((int)c.measure_count)],
            };
            for (int d = 0; d < dims; ++d)
            {
                t.LevelIndices[d] = ColumnCopy.Values(c.level_indices[d], n);
                t.LevelCodes[d] = ColumnCopy.Values(c.level_codes[d], n);
            }
            for (int o = 0; o < t.Successes.Length; ++o) t.Successes[o] = ColumnCopy.Values(c.successes[o], n);
            for (int m = 0; m < t.Measures.Length; ++m) t.Measures[m] = MeasureColumns.Copy(ref c.measures[m], n);
            // Labels depend on the level only: take each level's label from the first cell (in
            // the table's order) that has it.
            for (int d = 0; d < dims; ++d)
            {
                var sv = new Dictionary<uint, string>();
                var en = new Dictionary<uint, string>();
                int cells = CellCount;
                for (int cell = 0; cell < cells; ++cell)
                {
                    uint index;
                    byte* label = null;
                    Check.Ok(NativeMethods.jamstat_table_cell_level(handle, new UIntPtr((uint)cell), new UIntPtr((uint)d), &index, null, (int)Language.Swedish, &label));
                    if (sv.ContainsKey(index)) continue;
                    sv[index] = Utf8.Decode(label);
                    Check.Ok(NativeMethods.jamstat_table_cell_level(handle, new UIntPtr((uint)cell), new UIntPtr((uint)d), null, null, (int)Language.English, &label));
                    en[index] = Utf8.Decode(label);
                }
                t.LabelsSv[d] = new string[n];
                t.LabelsEn[d] = new string[n];
                for (long i = 0; i < n; ++i)
                {
                    t.LabelsSv[d][i] = sv[t.LevelIndices[d][i]];
                    t.LabelsEn[d][i] = en[t.LevelIndices[d][i]];
                }
            }
            return t;
        }

        /// <summary>Frees the table.</summary>
        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>Every roll-up of an aggregator at once: the 2^d tables of the cube lattice.</summary>
    public sealed class Cube : IDisposable
    {
        readonly CubeHandle handle;

        internal Cube(CubeHandle handle) { this.handle = handle; }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public CubeHandle Handle { get { return handle; } }

        /// <summary>Number of tables: 2^d.</summary>
        public unsafe long TableCount
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_cube_table_count(handle, &n));
                return checked((long)(ulong)n);
            }
        }

        /// <summary>The table of the dimensions in bit mask <paramref name="mask"/> (bit k = schema dimension k; 0 = the total). It outlives the cube.</summary>
        public Table Table(ulong mask)
        {
            TableHandle t;
            Check.Ok(NativeMethods.jamstat_cube_table(handle, mask, out t));
            return new Table(t);
        }

        /// <summary>The table of these schema dimensions.</summary>
        public Table TableOf(params int[] dimensions)
        {
            ulong mask = 0;
            foreach (int d in dimensions)
            {
                if (d < 0 || d >= 64) throw new ArgumentOutOfRangeException("dimensions", d, "jamstat: a cube has at most 20 dimensions");
                mask |= 1UL << d;
            }
            return Table(mask);
        }

        /// <summary>Frees the cube (its tables stay valid).</summary>
        public void Dispose() { handle.Dispose(); }
    }
}
