"""Shared fixtures of the Python binding's tests.

Environment (set by bindings/python/tests.cmake under ctest):
  JAMSTAT_LIBRARY      the libjamstat.so to load (a plain build beside a sanitized tree)
  JAMSTAT_CLI          the jamstat command, for the canonical synthetic data (`jamstat generate`)
  JAMSTAT_REQUIRE_ALL  when set, a missing prerequisite fails the test instead of skipping it
"""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the package from the source tree
for _var in ("JAMSTAT_LIBRARY", "JAMSTAT_CLI"):  # child processes run elsewhere: absolute paths
    if os.environ.get(_var):
        os.environ[_var] = os.path.abspath(os.environ[_var])

import jamstat  # noqa: E402

#: A key for the tests only: real keys are secrets agreed between the partners that merge states.
TEST_KEY = bytes(range(1, 17))


def need(condition, reason):
    """Skip when a prerequisite is missing, or fail under ctest (JAMSTAT_REQUIRE_ALL)."""
    if condition:
        return
    if os.environ.get("JAMSTAT_REQUIRE_ALL"):
        pytest.fail("prerequisite missing: " + reason)
    pytest.skip(reason)


def participation_schema(hours_kind="decimal"):
    """The schema of the synthetic participation data set (src/synth/participations.cpp)."""
    b = jamstat.SchemaBuilder()
    b.dimension("age_band", [(0, "16–19 år", "16–19 years"), (1, "20–24 år", "20–24 years"),
                             (2, "25–29 år", "25–29 years"), (3, "30–39 år", "30–39 years"),
                             (4, "40–49 år", "40–49 years"), (5, "50–64 år", "50–64 years")],
                label=("Åldersgrupp", "Age band"))
    b.dimension("birth_region", [(0, "Sverige", "Sweden"), (1, "Europa utom Sverige", "Europe except Sweden"),
                                 (2, "Utanför Europa", "Outside Europe")], label=("Födelseregion", "Region of birth"))
    b.dimension("education", [(0, "Förgymnasial", "Compulsory"), (1, "Gymnasial", "Upper secondary"),
                              (2, "Eftergymnasial", "Post-secondary"), (3, "Uppgift saknas", "Unknown")],
                label=("Utbildningsnivå", "Education"))
    b.dimension("intervention", [(k, "Insats %d" % k, "Intervention %d" % k) for k in range(12)],
                label=("Insats", "Intervention"))
    b.outcome("in_work_or_studies", "I arbete eller studier", "In work or studies")
    if hours_kind == "decimal":
        b.measure("hours", unit="h", label_sv="Timmar", label_en="Hours", decimals=2, lowest=0, highest=99999.99)
    else:
        b.measure("hours", unit="h", label_sv="Timmar", label_en="Hours", kind="floating", lowest=0, highest=99999.99)
    with b:
        return b.build()


COLUMNS = {"person_id": "u4", "sex": "u1", "age_band": "u1", "birth_region": "u1", "education": "u1",
           "intervention": "u1", "outcome": "u1", "hours": "f8"}
EXTENSIONS = {"u4": "u32", "u1": "u8", "f8": "f64"}


def generate(n, directory, seed=None):
    """Runs `jamstat generate N DIR` and reads the raw columns back (numpy arrays)."""
    import numpy as np
    cli = os.environ.get("JAMSTAT_CLI") or _cli_in_build_tree()
    need(cli and os.path.exists(cli), "the jamstat command (JAMSTAT_CLI) is needed for the synthetic data")
    args = [cli, "generate", str(n), str(directory)] + ([str(seed)] if seed is not None else [])
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    data = {}
    for name, dtype in COLUMNS.items():
        data[name] = np.fromfile(os.path.join(str(directory), "%s.%s" % (name, EXTENSIONS[dtype])), dtype="<" + dtype)
        assert len(data[name]) == n
    return data


def _cli_in_build_tree():
    root = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
    for tree in ("build/dev", "build/asan", "build"):
        path = os.path.join(root, tree, "jamstat")
        if os.path.isfile(path):
            return path
    return None


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    """The canonical synthetic data set, N = 60,000 (seed 5218), as numpy columns."""
    return generate(60000, tmp_path_factory.mktemp("synthetic"))


@pytest.fixture
def schema():
    s = participation_schema()
    yield s
    s.close()


@pytest.fixture
def small_schema():
    """The schema of docs/c-abi.md's example."""
    with jamstat.SchemaBuilder() as b:
        s = (b.dimension("intervention", {1: ("Coachning", "Coaching"), 2: ("Praktik", "Placement")},
                         label=("Insats", "Intervention"))
             .outcome("in_work", "I arbete", "In work")
             .numeric("hours", "h", "Timmar", "Hours")
             .build())
    yield s
    s.close()
