"""The package installed with pip into a prefix finds the library installed in the same prefix
(`<prefix>/lib/<multiarch>/libjamstat.so.1`, where cmake --install puts it), with no variable set."""
import glob
import os
import shutil
import subprocess
import sys
import sysconfig

import jamstat
from conftest import need

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_pip_install_into_a_prefix_finds_the_library_there(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    need(r.returncode == 0, "pip (Debian python3-pip) is needed to test installing the package")
    src = tmp_path / "src"
    src.mkdir()
    shutil.copytree(os.path.join(PACKAGE_ROOT, "jamstat"), str(src / "jamstat"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(os.path.join(PACKAGE_ROOT, name), str(src / name))
    prefix = tmp_path / "prefix"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps", "--no-index",
                        "--disable-pip-version-check", "--prefix", str(prefix), str(src)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    need(r.returncode == 0 or "setuptools" not in r.stdout, "setuptools (Debian python3-setuptools) is needed")
    assert r.returncode == 0, r.stdout
    site = glob.glob(str(prefix / "**" / "jamstat" / "__init__.py"), recursive=True)
    assert len(site) == 1
    libdir = prefix / "lib" / (sysconfig.get_config_var("MULTIARCH") or "")
    libdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(jamstat.library().path, str(libdir / "libjamstat.so.1"))
    env = {k: v for k, v in os.environ.items() if k not in ("JAMSTAT_LIBRARY", "PYTHONPATH")}
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(site[0]))
    code = ("import jamstat; L = jamstat.library(); print(jamstat.__file__); print(L.origin); print(L.path); "
            "s = jamstat.SchemaBuilder().outcome('x').build(); a = jamstat.Aggregator(s); "
            "a.add(sex=2, x=1); print(a.participations)")
    r = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, env=env, cwd=str(tmp_path))
    assert r.returncode == 0, r.stdout
    where, origin, path, count = r.stdout.splitlines()
    assert where.startswith(str(prefix))
    assert origin == "installed prefix" and path == str(libdir / "libjamstat.so.1")
    assert count == "1"
