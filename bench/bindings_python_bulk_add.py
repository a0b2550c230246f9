#!/usr/bin/env python3
"""Bulk add from numpy through the Python binding vs the same call made from C (issue 15's goal:
at least 80% of the C ABI's own speed on the canonical 10M rows). Run by hand, not in CI:

    /usr/bin/python3 bench/bindings_python_bulk_add.py [--n 10000000] [--reps 7] [--build build/dev]

It generates the canonical data set with `BUILD/jamstat generate N DIR` (once; kept in --data),
compiles bench/bindings_python_bulk_add.c against BUILD/libjamstat.so, and alternates C and Python
repetitions (the machine is shared: medians of interleaved runs). Timed: one bulk add of all rows
into a fresh aggregator of the synthetic schema (decimal hours), columns already in memory.

- C: the jamstat_aggregator_add_arrays call alone, in a C program;
- Python ctypes: the same call made from this Python process through the raw ctypes prototype
  (separates the binding's own cost from differences between the two processes);
- Python `add_batch(dict of numpy arrays)`: the whole method (column checks, zero-copy preparation,
  the C call, the result), i.e. what a user pays;
- Python `add_batch(DataFrame)`: the same from a pandas DataFrame of the raw columns;
- Python with int64 codes and outcome (numpy's default integer): includes the checked conversion;
- per-record `add()`, for scale.

The ratio is C seconds / Python seconds (1.0 = as fast as C).

Results on the development machine (2 cores shared with other jobs, build/dev RelWithDebInfo,
N = 10,000,000, 11 interleaved repetitions, each side warmed up by one add in its process) are in
bindings/python/README.md, "Performance".
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

COLUMNS = [("sex", "u8", "u1"), ("age_band", "u8", "u1"), ("birth_region", "u8", "u1"), ("education", "u8", "u1"),
           ("intervention", "u8", "u1"), ("outcome", "u8", "u1"), ("hours", "f64", "f8"), ("person_id", "u32", "u4")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "dev"))
    ap.add_argument("--data", default=None, help="directory of the raw columns (default /tmp/jamstat-bench-N)")
    ap.add_argument("--records", type=int, default=200_000, help="records for the per-record add() timing")
    args = ap.parse_args()

    build = os.path.abspath(args.build)
    library = os.path.join(build, "libjamstat.so.1")
    os.environ["JAMSTAT_LIBRARY"] = library
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import numpy as np
    import pandas as pd
    import jamstat

    data = args.data or os.path.join(tempfile.gettempdir(), "jamstat-bench-%d" % args.n)
    if not os.path.exists(os.path.join(data, "meta.txt")):
        subprocess.run([os.path.join(build, "jamstat"), "generate", str(args.n), data], check=True)
    cols = {name: np.fromfile(os.path.join(data, "%s.%s" % (name, ext)), dtype="<" + dt) for name, ext, dt in COLUMNS}
    n = len(cols["sex"])

    work = tempfile.mkdtemp(prefix="jamstat-bench-")
    helper = os.path.join(work, "bulk_add_c")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-std=c11", "-I", os.path.join(ROOT, "include"),
                    os.path.join(HERE, "bindings_python_bulk_add.c"), "-L", build, "-ljamstat",
                    "-Wl,-rpath," + build, "-o", helper], check=True)

    b = jamstat.SchemaBuilder()
    for name, levels in (("age_band", 6), ("birth_region", 3), ("education", 4), ("intervention", 12)):
        b.dimension(name, [(k, str(k)) for k in range(levels)])
    schema = (b.outcome("in_work_or_studies")
              .measure("hours", unit="h", decimals=2, lowest=0, highest=99999.99).build())
    key = bytes(range(1, 17))
    rename = {"in_work_or_studies": "outcome"}
    frame = pd.DataFrame(cols)
    wide = dict(cols)
    for name in ("sex", "age_band", "birth_region", "education", "intervention", "outcome"):
        wide[name] = cols[name].astype(np.int64)

    def c_run(persons):
        # One warm-up add in the helper's process (its first aggregator pays the page faults of
        # fresh memory, which the Python process, having run before, does not), then one timed.
        out = subprocess.run([helper, data, "2", "1" if persons else "0"], check=True, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
        return float(out.splitlines()[1].split()[1])

    def py_run(source, persons):
        with jamstat.Aggregator(schema, person_key=key if persons else None) as agg:
            batch = source if persons else (source.drop(columns=["person_id"]) if hasattr(source, "drop")
                                            else {k: v for k, v in source.items() if k != "person_id"})
            t0 = time.perf_counter()
            r = agg.add_batch(batch, rename=rename)
            t1 = time.perf_counter()
            assert r.accepted == n and agg.participations == n
            return t1 - t0, r.copied_columns

    L = jamstat.library()
    ctypes_of = {"u1": jamstat.COLUMN_U8, "f8": jamstat.COLUMN_F64, "u4": jamstat.COLUMN_U32}

    def raw_run(persons):
        # The C call alone, made from this process through ctypes with a hand-built column array:
        # what the binding's own work (checks, preparation, result) adds is add_batch minus this.
        with jamstat.Aggregator(schema, person_key=key if persons else None) as agg:
            names = COLUMNS if persons else COLUMNS[:-1]
            arr = (jamstat._abi.jamstat_array * len(names))()
            for i, (name, _, dt) in enumerate(names):
                arr[i].type, arr[i].data, arr[i].length = ctypes_of[dt], cols[name].ctypes.data, n
            t0 = time.perf_counter()
            L.jamstat_aggregator_add_arrays(agg._ptr(), n, arr, len(names), None)
            return time.perf_counter() - t0

    results = {}
    copied = {}
    py_run(cols, True)  # warm-up, as in the C helper
    py_run(cols, False)
    for rep in range(args.reps):
        for persons in (True, False):
            tag = "persons" if persons else "no persons"
            results.setdefault(("C add_arrays", tag), []).append(c_run(persons))
            results.setdefault(("Python ctypes add_arrays", tag), []).append(raw_run(persons))
            for label, source in (("Python add_batch(numpy)", cols), ("Python add_batch(DataFrame)", frame),
                                  ("Python add_batch(int64 codes)", wide)):
                seconds, cp = py_run(source, persons)
                results.setdefault((label, tag), []).append(seconds)
                copied[label] = cp
        print("repetition %d of %d done" % (rep + 1, args.reps), file=sys.stderr)

    with jamstat.Aggregator(schema, person_key=key) as agg:
        m = min(args.records, n)
        recs = [dict(sex=int(cols["sex"][i]), age_band=int(cols["age_band"][i]), birth_region=int(cols["birth_region"][i]),
                     education=int(cols["education"][i]), intervention=int(cols["intervention"][i]),
                     in_work_or_studies=int(cols["outcome"][i]), hours=float(cols["hours"][i]),
                     person_id=int(cols["person_id"][i])) for i in range(m)]
        t0 = time.perf_counter()
        for r in recs:
            agg.add(r)
        per_record = (time.perf_counter() - t0) / m

    print("N = %d rows, %d interleaved repetitions, library %s (jamstat %s)" % (n, args.reps, library, jamstat.version()))
    print("%-30s %-10s %9s %9s %8s %8s %8s  %s" % ("what", "persons", "median s", "min s", "Mrows/s",
                                                    "C/this", "C/this", "copied columns"))
    print("%-30s %-10s %9s %9s %8s %8s %8s" % ("", "", "", "", "(median)", "(median)", "(min)"))
    for tag in ("persons", "no persons"):
        c = statistics.median(results[("C add_arrays", tag)])
        cmin = min(results[("C add_arrays", tag)])
        for label in ("C add_arrays", "Python ctypes add_arrays", "Python add_batch(numpy)", "Python add_batch(DataFrame)",
                      "Python add_batch(int64 codes)"):
            t = statistics.median(results[(label, tag)])
            tmin = min(results[(label, tag)])
            print("%-30s %-10s %9.4f %9.4f %8.1f %8.3f %8.3f  %s" % (label, tag, t, tmin, n / t / 1e6, c / t, cmin / tmin,
                                                                  ", ".join(copied.get(label, [])) or "-"))
    print("per-record add(): %.2f us per record (%d records, persons counted)" % (per_record * 1e6, m))


if __name__ == "__main__":
    main()
