"""``import chiiki.text`` must stay cheap: the CLI imports it at start-up."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_load_heavy_modules():
    code = (
        "import sys, chiiki.text as t; "
        "heavy = [m for m in ('pandas', 'sudachipy', 'scipy', 'matplotlib', 'networkx') "
        "if m in sys.modules]; print(','.join(heavy)); assert 'kwic' in t.__all__"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_lazy_attributes_resolve():
    import chiiki.text as t

    for name in t.__all__:
        assert getattr(t, name) is not None
    assert callable(t.kwic) and callable(t.crosstab)
