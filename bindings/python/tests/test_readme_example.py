"""The README's example runs as written and prints what the README shows."""
import os
import re
import subprocess
import sys

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_blocks():
    with open(os.path.join(PACKAGE_ROOT, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    section = text.split("## Example", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)
    output = re.search(r"```text\n(.*?)```", section, flags=re.S).group(1)
    return code, output


def test_readme_example_runs_as_written(tmp_path):
    code, expected = readme_blocks()
    assert "jamstat.SchemaBuilder()" in code and "add_batch" in code and "rollup" in code
    assert "protected_tables" in code and ".." in expected  # it prints a protected table
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    r = subprocess.run([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=dict(os.environ, PYTHONPATH=PACKAGE_ROOT), cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected
