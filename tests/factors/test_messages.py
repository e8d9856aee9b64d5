"""The engine's messages: every code declared, both languages, the agreed terms, no Japanese in code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from chiiki.factors.candidates import FACTORS
from chiiki.factors.labels import EVIDENCE_GRADES, EXCLUSION_REASONS, METHODS, OUTCOMES, STATUSES
from chiiki.factors.messages import MESSAGES
from chiiki.i18n import msg, render, translator

SRC = Path(__file__).resolve().parents[2] / "src" / "chiiki"
FACTORS_DIR = SRC / "factors"
MY_FILES = [
    *sorted(FACTORS_DIR.rglob("*.py")),
    SRC / "workbench" / "factors_api.py",
    SRC / "cli" / "factors.py",
    SRC / "cli" / "demo.py",
]
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
DRIFTED = ("観測打ち切り", "補正p値", "補正後p", "獲得", "検定不能", "判断保留")


def _templates(template: str | tuple[str, str]) -> list[str]:
    return list(template) if isinstance(template, tuple) else [template]


def test_every_code_is_namespaced_and_every_template_is_translated() -> None:
    catalogue = translator("ja").gnu._catalog  # type: ignore[attr-defined]
    for code, template in MESSAGES.items():
        assert code.startswith("factors."), code
        first = _templates(template)[0]
        key = (first, 0) if isinstance(template, tuple) else first
        assert key in catalogue and catalogue[key], f"no Japanese for {code}: {first!r}"


def test_the_japanese_uses_the_agreed_terms() -> None:
    ja = [render(msg(code, **_dummy_params(t)), "ja") for code, t in MESSAGES.items()]
    for text in ja:
        for term in DRIFTED:
            assert term not in text, (term, text)
    text = "\n".join(ja)
    for term in (
        "後継事業の採択",
        "調整済みp値",
        "観察打ち切り年度",
        "検証不能",
        "事後評価",
        "中間評価",
        "拠点",
        "参画機関",
    ):
        assert term in text, term


def _dummy_params(template: str | tuple[str, str]) -> dict[str, object]:
    names = {m for t in _templates(template) for m in re.findall(r"{(\w+)", t)}
    return {name: 2 if name == "n" else "X" for name in names}


def test_codes_built_from_names_are_declared() -> None:
    """Labels are looked up by name (``factors.factor.<name>``...): every name has its code."""
    needed = [f"factors.factor.{name}" for name in FACTORS]
    needed += [f"factors.outcome.{o}" for o in OUTCOMES] + [f"factors.method.{m}" for m in METHODS]
    needed += [f"factors.status.{s}" for s in STATUSES] + [f"factors.evidence.{g}" for g in EVIDENCE_GRADES]
    needed += [f"factors.exclusion.{r}" for r in EXCLUSION_REASONS]
    needed += [f"factors.verdict.{s}" for s in STATUSES] + ["factors.hypothesis.H1", "factors.hypothesis.H2"]
    needed += ["factors.direction.positive", "factors.direction.negative", "factors.factor.program_family"]
    needed += ["factors.qca_solution.complex", "factors.qca_solution.parsimonious"]
    missing = [c for c in needed if c not in MESSAGES]
    assert not missing


def test_every_literal_code_in_the_code_is_declared() -> None:
    used: set[str] = set()
    for path in MY_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"factors\.[a-z_]+(\.[A-Za-z0-9_]+)?", node.value):
                    used.add(node.value)
    # prefixes of f-strings (factors.factor.{name} ...) are not whole codes
    used = {c for c in used if not c.endswith(".")}
    assert used, "the scan found no codes at all"
    missing = sorted(c for c in used if c not in MESSAGES)
    assert not missing


def test_english_plurals() -> None:
    assert render(msg("factors.few_final_grades", n=1), "en").startswith(
        "the final evaluation grade is known for only 1 adoption:"
    )
    assert "only 5 adoptions:" in render(msg("factors.few_final_grades", n=5), "en")
    assert render(msg("factors.qca_cases_dropped", n=1), "en") == "1 case dropped for missing values"
    assert render(msg("factors.qca_cases_dropped", n=3), "en") == "3 cases dropped for missing values"
    assert render(msg("factors.qca_cases_dropped", n=3), "ja") == "欠測のため3件を除外"


def test_nested_messages_render_in_place() -> None:
    from chiiki.factors.labels import exclusion_message

    m = exclusion_message("successor:window_open", 9)
    assert render(m, "en") == (
        "Successor adoption: 9 adoptions excluded (the window after the end FY reaches past the cut-off FY)"
    )
    assert render(m, "ja") == "後継事業の採択: 9件の採択を除外（終了後の観察期間が観察打ち切り年度を越える）"


def _string_literals(tree: ast.AST) -> list[ast.Constant]:
    """String constants that are not docstrings."""
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def _synthetic_data_literals(tree: ast.Module) -> set[int]:
    """The one allowed place: the synthetic registry's Japanese names (data) in demo.py."""
    allowed: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SYNTHETIC_JA" for t in node.targets):
            allowed |= {id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant)}
    return allowed


@pytest.mark.parametrize("path", MY_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_japanese_string_literals(path: Path) -> None:
    """Interface text is English in the code and Japanese in the catalogue; only the synthetic
    registry's names (data) may be written in Japanese, and only in ``demo.SYNTHETIC_JA``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = _synthetic_data_literals(tree) if path.name == "demo.py" else set()
    bad = [(n.lineno, n.value) for n in _string_literals(tree) if JAPANESE.search(n.value) and id(n) not in allowed]
    assert not bad


def test_the_literal_scan_would_catch_one() -> None:
    tree = ast.parse('"""ドキュメント"""\nx = "観察打ち切り年度"\n')
    found = [n.value for n in _string_literals(tree) if JAPANESE.search(n.value)]
    assert found == ["観察打ち切り年度"]
