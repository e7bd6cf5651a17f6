"""What a command imports at start: a library only where its work is done."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT_ROOT

_IMPORTED = """
import sys
from cli.main import main
sys.argv = ["mips", "score", "examples/cases/individual-2023.yaml", "--format", "{format}"]
try:
    main()
except SystemExit:
    pass
print("jinja2" in sys.modules, file=sys.stderr)
"""


def _imports_jinja2(format: str) -> bool:
    done = subprocess.run([sys.executable, "-c", _IMPORTED.format(format=format)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env={"MIPS_CACHE_DIR": "off", "PATH": ""}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-1] == "True"


def test_json_output_renders_no_template_and_imports_no_jinja2() -> None:
    assert not _imports_jinja2("json")
    assert _imports_jinja2("text")  # the text summary is a template
