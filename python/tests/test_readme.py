"""The README's Python example runs as written and prints what it says."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_example_runs():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python and Spark", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], "README.md", "exec"), {})
    printed = out.getvalue().splitlines()
    assert "never-say-wrong error You're wrong" in printed
    assert any("'rule': 'never-say-wrong'" in line and "'event': 2" in line for line in printed)
    assert printed[-1] == "0.0"  # never-say-wrong is critical: the score is 0
