"""The course's own text does not repeat the source textbooks (../shared/seeds) word for word."""

import subprocess
import sys

import pytest

from support import ROOT

TOOL = ROOT.parent / "shared" / "tools" / "check_originality.py"


@pytest.mark.skipif(not TOOL.exists(), reason=f"原创性检查工具不存在：{TOOL}（CI 会把 shared/ 放在仓库旁边）")
def test_no_passage_copied_from_the_seeds():
    proc = subprocess.run(
        [sys.executable, str(TOOL), str(ROOT)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
    )
    assert proc.returncode == 0, (
        "有段落与教材原文连续 20 个字以上相同，请用自己的话改写：\n" + proc.stdout[-6000:] + proc.stderr[-2000:]
    )
