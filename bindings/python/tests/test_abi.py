"""The generated declarations, the library loader and the ABI version check."""
import ctypes
import json
import os
import subprocess
import sys

import pytest

import jamstat
from jamstat import _abi, _library

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
REPO = os.path.normpath(os.path.join(PACKAGE_ROOT, "..", ".."))
ABI_JSON = os.path.join(REPO, "abi", "jamstat-abi.json")


def test_declarations_regenerate_identically():
    # The checked-in jamstat/_abi.py is exactly what the generator makes from the description.
    r = subprocess.run([sys.executable, os.path.join(PACKAGE_ROOT, "generate_abi.py"), "--json", ABI_JSON,
                        "--check", os.path.join(PACKAGE_ROOT, "jamstat", "_abi.py")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert r.returncode == 0, r.stdout
    assert "up to date" in r.stdout


def test_every_function_constant_and_struct_of_the_description_is_declared():
    with open(ABI_JSON, encoding="utf-8") as fh:
        desc = json.load(fh)
    assert [f[0] for f in _abi.FUNCTIONS] == [f["name"] for f in desc["functions"]]
    for name, c in desc["constants"].items():
        assert getattr(_abi, name) == c["value"]
    for enum, values in desc["enums"].items():
        assert _abi.ENUMS[enum] == values
    for name, s in desc["structs"].items():
        cls = _abi.STRUCTS[name]
        assert [f[0] for f in cls._fields_] == [f["name"] for f in s["fields"]]
    # The loaded library exports every declared function (it is built from the same header).
    assert jamstat.library().missing == []


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8, reason="the description records LP64 layouts")
def test_struct_layouts_match_the_compiler():
    with open(ABI_JSON, encoding="utf-8") as fh:
        desc = json.load(fh)
    for name, s in desc["structs"].items():
        cls = _abi.STRUCTS[name]
        assert ctypes.sizeof(cls) == s["size"], name
        assert ctypes.alignment(cls) == s["alignment"], name
        for f in s["fields"]:
            assert getattr(cls, f["name"]).offset == f["offset"], (name, f["name"])


def test_init_defaults_come_from_the_macros():
    from jamstat.schema import new_struct
    o = new_struct("jamstat_gap_options")
    assert o.struct_size == ctypes.sizeof(_abi.jamstat_gap_options)
    assert o.confidence_level == 0.95 and o.minimum_persons == 10 and o.seed == 5218
    r = new_struct("jamstat_batch_result")
    assert r.first_rejected_row == -1 and r.first_rejected_reason == -1


def test_loaded_library_has_the_abi_version_and_version():
    L = jamstat.library()
    assert L.abi_version == _abi.JAMSTAT_ABI_VERSION
    assert L.version_number == _abi.JAMSTAT_VERSION_NUMBER
    assert jamstat.version() == _abi.JAMSTAT_VERSION_STRING
    if os.environ.get("JAMSTAT_LIBRARY"):
        assert L.origin == "JAMSTAT_LIBRARY"


def _python(code, **env):
    e = dict(os.environ)
    e.update(env)
    e["PYTHONPATH"] = PACKAGE_ROOT
    return subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=e)


def test_a_missing_library_is_a_clear_import_error():
    r = _python("import jamstat\ntry:\n    jamstat.library()\nexcept jamstat.LibraryNotFoundError as e:\n    print('ERR', e)",
                JAMSTAT_LIBRARY="/nonexistent/libjamstat.so.1")
    assert "ERR jamstat: cannot load libjamstat" in r.stdout
    assert "/nonexistent/libjamstat.so.1 (JAMSTAT_LIBRARY)" in r.stdout
    assert "JAMSTAT_LIBRARY" in r.stdout


def test_a_library_of_another_abi_version_is_refused(tmp_path):
    # A stand-in library whose jamstat_abi_version() says 2.
    src = tmp_path / "fake.c"
    src.write_text("unsigned jamstat_abi_version(void) { return 2; }\n"
                   "unsigned jamstat_version_number(void) { return 30000; }\n"
                   "const char *jamstat_version_string(void) { return \"3.0.0\"; }\n")
    so = tmp_path / "libjamstat.so.1"
    cc = os.environ.get("CC", "cc")
    r = subprocess.run([cc, "-shared", "-fPIC", "-o", str(so), str(src)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert r.returncode == 0, r.stdout
    r = _python("import jamstat\ntry:\n    jamstat.library()\nexcept jamstat.AbiMismatchError as e:\n    print('ERR', e)",
                JAMSTAT_LIBRARY=str(tmp_path))
    assert "ERR jamstat:" in r.stdout and "ABI version 2" in r.stdout and "generated for ABI 1" in r.stdout


def test_the_build_tree_is_found_without_the_environment_variable():
    # From a source checkout with a built tree, no variable is needed (a sanitized tree's plain
    # twin is chosen, since Python cannot load an ASan library).
    if not _library._build_tree_candidates():
        pytest.skip("no build tree beside this checkout")
    env = dict(os.environ)
    env.pop("JAMSTAT_LIBRARY", None)
    r = subprocess.run([sys.executable, "-c", "import jamstat; L = jamstat.library(); print(L.origin, L.path)"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                       env=dict(env, PYTHONPATH=PACKAGE_ROOT))
    assert r.returncode == 0, r.stdout
    assert r.stdout.split()[0] in ("installed", "dynamic", "build")


def test_constants_are_exported_without_prefix():
    assert jamstat.SEX_FEMALE == 2 and jamstat.SEX_MALE == 1 and jamstat.MISSING_CODE == -1
    assert jamstat.ERROR_BAD_RECORD == 5 and jamstat.REJECTED_CODE_UNKNOWN == 3
    assert jamstat.total_label("sv") == "Totalt" and jamstat.total_label("en") == "Total"
    assert jamstat.status_name(5) == "JAMSTAT_ERROR_BAD_RECORD"
    assert "record" in jamstat.status_message(5)
    assert jamstat.rejection_reason_name(3) == "code_unknown"


def test_generated_structs_work_with_the_batch_call(small_schema):
    # jamstat_aggregator_add_batch (jamstat_batch of jamstat_column) through the raw generated
    # declarations gives the same state as add_batch (jamstat_aggregator_add_arrays).
    import numpy as np
    from jamstat.schema import new_struct
    sex = np.array([2, 1, 2], np.uint8)
    intervention = np.array([1, 2, 2], np.int32)
    in_work = np.array([1, 0, 1], np.uint8)
    hours = np.array([1.5, 2.0, 3.25])
    codes = (_abi.jamstat_column * 2)((jamstat.COLUMN_U8, sex.ctypes.data), (jamstat.COLUMN_I32, intervention.ctypes.data))
    outcomes = (_abi.jamstat_column * 1)((jamstat.COLUMN_U8, in_work.ctypes.data))
    numerics = (_abi.jamstat_column * 1)((jamstat.COLUMN_F64, hours.ctypes.data))
    b = new_struct("jamstat_batch", rows=3, codes=codes, code_count=2, outcomes=outcomes, outcome_count=1,
                   numerics=numerics, numeric_count=1)
    result = new_struct("jamstat_batch_result")
    with jamstat.Aggregator(small_schema) as raw, jamstat.Aggregator(small_schema) as ref:
        jamstat.library().jamstat_aggregator_add_batch(raw._ptr(), ctypes.byref(b), ctypes.byref(result))
        assert result.accepted == 3 and result.first_rejected_row == -1
        ref.add_batch(sex=sex, intervention=intervention, in_work=in_work, hours=hours)
        assert raw.serialize() == ref.serialize()
