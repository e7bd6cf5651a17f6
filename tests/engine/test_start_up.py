"""What a command imports at start: a library only where its work is done."""

from __future__ import annotations

import ast
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


_OPENED = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and isinstance(args[0], str) else None)
from cli.main import main
sys.argv = ["mips", "score", "examples/cases/individual-2023.yaml", "--format", "json"]
try:
    main()
except SystemExit:
    pass
print(repr(opened), file=sys.stderr)
"""


def test_a_start_with_its_rulebook_in_the_cache_reads_no_rule_file_and_no_package_metadata(tmp_path) -> None:
    """The compiled rulebook and its content hash come from the cache: of the rulebook files only the manifests
    are read (to follow `extends`); pydantic plugins are not looked for in the installed distributions."""
    env = {"MIPS_CACHE_DIR": str(tmp_path), "PATH": ""}
    for _ in range(2):  # the first run fills the cache
        done = subprocess.run([sys.executable, "-c", _OPENED], capture_output=True, text=True, cwd=PROJECT_ROOT,
                              env=env, timeout=120)
        assert done.returncode == 0, done.stderr
    opened = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    rulebooks = str(PROJECT_ROOT / "rulebooks")
    read = sorted({path for path in opened if path.startswith(rulebooks)})
    assert read and all(path.endswith("/rulebook.yaml") for path in read), read
    assert not [path for path in opened if ".dist-info" in path or ".egg-info" in path]
