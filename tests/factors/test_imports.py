"""The package and CLI modules stay import-light (`chiiki --help` must start fast)."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(stmt: str) -> set[str]:
    code = f"import sys; {stmt}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_package_and_cli_do_not_import_heavy_libraries() -> None:
    mods = _loaded_after("import chiiki.factors, chiiki.cli.factors, chiiki.cli.demo")
    heavy = {"pandas", "scipy", "lifelines", "statsmodels", "firthmodels", "matplotlib"}
    assert not (heavy & mods)


def test_public_api_resolves_lazily() -> None:
    import chiiki.factors as f

    for name in f.__all__:
        assert getattr(f, name) is not None
