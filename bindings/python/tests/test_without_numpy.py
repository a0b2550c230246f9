"""The package needs neither numpy nor pandas: batches from plain sequences (the array module),
tables and findings as lists of records. Run in a child process where numpy cannot be imported."""
import os
import subprocess
import sys

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CODE = r'''
import sys
sys.modules["numpy"] = None     # "import numpy" now raises ImportError
sys.modules["pandas"] = None
import jamstat
from jamstat import _columns
assert _columns.np is None

s = (jamstat.SchemaBuilder()
     .dimension("intervention", {1: ("Coachning", "Coaching"), 2: ("Praktik", "Placement")})
     .outcome("in_work", "I arbete", "In work")
     .numeric("hours", "h", "Timmar", "Hours").build())
with jamstat.Aggregator(s, person_key=bytes(range(1, 17)), on_bad_record="tally") as agg:
    r = agg.add_batch({"sex": [2, 2, 1, 1, None, 1], "intervention": [1, "Praktik", 1, 2, 2, 2 ** 40],
                       "in_work": [True, False, 1, 0, 0, 1], "hours": [37.5, 120.25, 12, 80.5, 60, 8.75],
                       "person_id": ["p1", "p2", "p3", 17, "p5", "p6"]})
    print("batch", r.accepted, r.rejected, [(x.row, x.field_name, x.reason_name) for x in r.rows])
    print("message", r.first_rejected_message)
    agg.add(sex=2, intervention=1, in_work=1, hours=1.5, person_id="p1")
    with agg.rollup(["intervention"]) as t:
        for row in t.to_records():
            print("cell", row["sex"], row["intervention"], row["persons"], row["participations"], row["hours_mean"])
    print("summary", [(r["sex"], r["intervention"], r["participations"]) for r in agg.summary(["intervention"])][-3:])
    with agg.gap_report(minimum_persons=1) as report:
        recs = report.findings_records()
        print("findings", len(recs), recs[0]["kind"], type(recs[0]["difference"]).__name__)
print("ok")
'''


def test_works_without_numpy_and_pandas():
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
    r = subprocess.run([sys.executable, "-c", CODE], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, env=env)
    assert r.returncode == 0, r.stdout
    lines = r.stdout.splitlines()
    assert lines[-1] == "ok"
    assert "batch 4 2 [(4, 'sex', 'sex_missing'), (5, 'intervention', 'code_unknown')]" in lines
    assert lines[1] == "message row 4: dimension 'sex': code is missing (-1); expected one of 0, 1, 2, 9 (ISO/IEC 5218)"
    cells = [l for l in lines if l.startswith("cell ")]
    assert cells == ["cell Kvinnor Coachning 1 2 19.5", "cell Kvinnor Praktik 1 1 120.25",
                     "cell Män Coachning 1 1 12.0", "cell Män Praktik 1 1 80.5"]
    assert "summary [('Kvinnor', 'Totalt', 3), ('Män', 'Totalt', 2), ('Totalt', 'Totalt', 5)]" in lines
    assert "findings 4 outcome float" in lines
