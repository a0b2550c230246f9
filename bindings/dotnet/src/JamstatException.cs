using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>One bad row of a batch: where and why (jamstat_row_error).</summary>
    public struct BadRow
    {
        /// <summary>Row within the batch (0 for a single record).</summary>
        public long Row { get; private set; }
        /// <summary>Schema field index (dimensions with sex first, outcomes, numeric measures, person_id).</summary>
        public long Field { get; private set; }
        /// <summary>Name of that field, e.g. "intervention".</summary>
        public string FieldName { get; private set; }
        /// <summary>Why the row is bad.</summary>
        public RejectionReason Reason { get; private set; }

        internal BadRow(long row, long field, string fieldName, RejectionReason reason) : this()
        {
            Row = row;
            Field = field;
            FieldName = fieldName;
            Reason = reason;
        }

        /// <summary>"row 12, intervention: code_unknown".</summary>
        public override string ToString()
        {
            return "row " + Row + ", " + (FieldName ?? ("field " + Field)) + ": " + Library.RejectionReasonName(Reason);
        }
    }

    /// <summary>
    /// A failed jamstat call: the C status and message, and for a bad record the row, field and
    /// reason; for a batch, every bad row found (up to the aggregator's BadRowCapacity).
    /// </summary>
    public class JamstatException : Exception
    {
        static readonly ReadOnlyCollection<BadRow> noRows = new ReadOnlyCollection<BadRow>(new BadRow[0]);

        /// <summary>The C status, e.g. Status.ErrorBadRecord.</summary>
        public Status Status { get; private set; }
        /// <summary>The status's stable C name, e.g. "JAMSTAT_ERROR_BAD_RECORD".</summary>
        public string StatusName { get; private set; }
        /// <summary>Row (within the batch; 0 for a single record) of the bad record, or null.</summary>
        public long? Row { get; private set; }
        /// <summary>Schema field index the error is about, or null.</summary>
        public long? Field { get; private set; }
        /// <summary>Name of that field when known (dimension, outcome, measure or "person_id").</summary>
        public string FieldName { get; private set; }
        /// <summary>Why the record was rejected, or null.</summary>
        public RejectionReason? Reason { get; private set; }
        /// <summary>Every bad row of the batch (in row order), when the error came from a batch.</summary>
        public IReadOnlyList<BadRow> BadRows { get; private set; }
        /// <summary>How many bad rows the batch has (may exceed BadRows.Count).</summary>
        public long BadRowCount { get; private set; }

        /// <summary>An exception with a status and message (for callers wrapping their own checks).</summary>
        public JamstatException(Status status, string message) : base(message)
        {
            Status = status;
            StatusName = Library.StatusName(status);
            BadRows = noRows;
        }

        /// <summary>
        /// The error the last jamstat call on this thread reported (call it right after the failed
        /// call: the next jamstat call replaces it). <paramref name="schema"/> (may be null) names the field.
        /// </summary>
        internal static unsafe JamstatException FromLastError(Status status, SchemaHandle schema)
        {
            string message = Utf8.Decode(NativeMethods.jamstat_last_error_message());
            long row = NativeMethods.jamstat_last_error_row();
            long field = NativeMethods.jamstat_last_error_field();
            int reason = NativeMethods.jamstat_last_error_reason();
            if (string.IsNullOrEmpty(message)) message = Utf8.Decode(NativeMethods.jamstat_status_message((int)status));
            var e = new JamstatException(status, message);
            if (row >= 0) e.Row = row;
            if (field >= 0)
            {
                e.Field = field;
                e.FieldName = FieldNameOf(schema, field);
            }
            if (reason >= 0) e.Reason = (RejectionReason)reason;
            return e;
        }

        internal void SetBadRows(IList<BadRow> rows, long count)
        {
            BadRows = new ReadOnlyCollection<BadRow>(rows);
            BadRowCount = count;
        }

        /// <summary>The field's name from the schema, or null (never throws).</summary>
        internal static unsafe string FieldNameOf(SchemaHandle schema, long field)
        {
            if (schema == null || schema.IsInvalid || schema.IsClosed || field < 0) return null;
            byte* name = null;
            if (NativeMethods.jamstat_schema_field_name(schema, new UIntPtr((ulong)field), &name) != Status.Ok) return null;
            return Utf8.Decode(name);
        }

        /// <summary>Message, status name, and the record's place when there is one.</summary>
        public override string ToString()
        {
            var s = GetType().FullName + " (" + StatusName + "): " + Message;
            if (BadRows.Count > 1) s += Environment.NewLine + "bad rows (" + BadRowCount + "): " + string.Join("; ", BadRows);
            if (StackTrace != null) s += Environment.NewLine + StackTrace;
            return s;
        }
    }

    /// <summary>Turns statuses into exceptions.</summary>
    internal static class Check
    {
        /// <summary>Throws the last error when <paramref name="status"/> is not Ok.</summary>
        internal static void Ok(Status status)
        {
            if (status != Status.Ok) throw JamstatException.FromLastError(status, null);
        }

        /// <summary>Throws the last error, field names from <paramref name="schema"/>.</summary>
        internal static void Ok(Status status, SchemaHandle schema)
        {
            if (status != Status.Ok) throw JamstatException.FromLastError(status, schema);
        }
    }
}
