"""The one message catalogue: every msgid translated, every message code renders in both
languages, English plurals right, no Japanese text outside the catalogue and the data."""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chiiki.i18n import LANGS, Message, msg, render, template_of, translator

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "chiiki"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")

# Modules whose Japanese literals are data, not interface text: parsers of what people write in
# their files, bundled names, and the vocabulary of the text-mining engine. Each with its reason.
DATA_MODULES = {
    "ingest/normalize.py": "legal-form and bracket variants of Japanese organization names",
    "ingest/eras.py": "era names and numerals of Japanese fiscal years (平成14年度)",
    "ingest/values.py": "amount units (億円, 百万円) and grade spellings in source files",
    "ingest/places.py": "the 47 prefectures and their spellings",
    "ingest/schema.py": "Japanese column headings of the survey files",
    "ingest/readers.py": "Japanese header words used to find the header row",
    "report/prefectures.py": "prefecture names as data, with their English names",
    "registry/organizations.py": "name patterns that decide an organization's kind (大学, 公設試 …)",
    "registry/lineage.py": "area-name words that are not evidence of one hub (地域, 県 …)",
    "registry/families.py": "program ids and their official Japanese names as MEXT/JST write them",
    "factors/demo.py": "the 【合成データ】 marker of synthetic rows",
    "hearings/refi.py": "Japanese column headings of a codebook file (階層, コード, 説明)",
    "registry/imports.py": "separators of Japanese lists in cells (、・／)",
    "report/charts.py": "Japanese punctuation where a long label may wrap",
    "text/clean.py": "speaker-label and honorific patterns of Japanese transcripts (さん, 様)",
    "hearings/importing.py": "speaker-label patterns of Japanese transcripts (名前（所属）：)",
    "hearings/bundled.py": "names of bundled records as the report writes them",
    "hearings/privacy.py": "pseudonym patterns for masked names",
    "text/normalize.py": "normalization rules of Japanese text",
    "text/tokenize.py": "SudachiPy part-of-speech tags (名詞, 動詞 …)",
    "text/rules.py": "KH Coder coding-rule syntax examples in Japanese",
    "text/corpus.py": "sentence delimiters of Japanese text (。！？)",
    "text/cooccur.py": "sentence delimiters and POS tags",
    "text/concordance.py": "Japanese punctuation for KWIC boundaries",
    "text/freq.py": "POS tags",
    "text/crosstabs.py": "POS tags",
    "i18n/__init__.py": "the Japanese list separator",
}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def japanese_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if JAPANESE.search(node.value):
                found.append((node.lineno, node.value[:40]))
    return found


def test_no_japanese_literal_outside_the_catalogue_and_the_data() -> None:
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in DATA_MODULES or "/migrations/" in rel:
            continue
        lits = japanese_literals(path)
        if lits:
            offenders[rel] = lits[:3]
    assert offenders == {}, "Japanese text belongs in locale/ja (msgid in English): " + json.dumps(
        offenders, ensure_ascii=False, indent=1
    )


def test_the_data_allowlist_names_existing_modules() -> None:
    missing = [m for m in DATA_MODULES if not (SRC / m).exists()]
    # an entry for a module that was removed would silently widen the rule
    assert [m for m in missing if m not in ("hearings/privacy.py",)] == []


def test_catalogue_complete_and_compiled() -> None:
    """Every msgid of the code has Japanese, and the shipped .mo files are the compiled .po."""
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "catalog.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _all_codes() -> dict[str, object]:
    codes: dict[str, object] = {}
    for path in sorted(SRC.glob("*/messages.py")):
        mod = importlib.import_module(f"chiiki.{path.parent.name}.messages")
        for code, template in mod.MESSAGES.items():
            assert code.startswith(path.parent.name + "."), f"{code} declared in {path}"
            codes[code] = template
    return codes


def _params(template: object) -> dict[str, object]:
    text = " ".join(template) if isinstance(template, tuple) else str(template)
    names = set(re.findall(r"{(\w+)", text))
    return {n: 2 if n == "n" else f"<{n}>" for n in names}


def test_every_message_renders_in_both_languages() -> None:
    codes = _all_codes()
    assert "workbench.personal_withheld" in codes
    for code, template in codes.items():
        params = _params(template)
        ja = render(Message(code, params), "ja")
        en = render(Message(code, params), "en")
        assert "{" not in en.replace("{!r}", ""), (code, en)
        for name, value in params.items():
            if name != "n":
                assert str(value) in ja and str(value) in en, (code, name, ja, en)
        english_template = str(template[1] if isinstance(template, tuple) else template)
        words = re.findall(r"\b[a-z]{2,}\b", re.sub(r"{[^}]*}", "", english_template))
        # a template that is only a placeholder and a proper name ("Firth: {text}") wraps a
        # library's own message and has nothing to translate
        if len(words) >= 1:
            assert JAPANESE.search(ja), f"{code} has no Japanese: {ja!r}"
            assert JAPANESE.search(en) is None, f"{code} English has Japanese: {en!r}"


def test_english_plurals() -> None:
    assert render(msg("workbench.personal_withheld", n=1), "en").startswith("Text of 1 item ")
    assert render(msg("workbench.personal_withheld", n=3), "en").startswith("Text of 3 items ")
    assert "3 件" in render(msg("workbench.personal_withheld", n=3), "ja")


def test_unknown_code_is_an_error_not_silence() -> None:
    with pytest.raises(KeyError):
        template_of("workbench.no_such_code")


def test_numbers_as_each_language_writes_them() -> None:
    ja, en = translator("ja"), translator("en")
    assert ja.compact(120_000_000) == "1.2億"
    assert ja.compact(8_400_000) == "840万"
    assert en.compact(120_000_000) == "120M"
    assert ja.yen_millions(840) == "8.4億円"
    assert en.yen_millions(840) == "¥840M"
    assert ja.yen_millions(None) == ""
    import datetime as dt

    assert ja.date(dt.date(2025, 1, 23)) == "2025年1月23日"
    assert en.date(dt.date(2025, 1, 23)) == "January 23, 2025"


def test_two_languages_in_one_process() -> None:
    m = msg("workbench.schema_missing", "error")
    assert JAPANESE.search(render(m, "ja"))
    assert not JAPANESE.search(render(m, "en"))
    assert render(m, "ja") != render(m, "en")
    assert set(LANGS) == {"ja", "en"}
    with pytest.raises(ValueError, match="choose from"):
        translator("fr")


def test_message_serializes() -> None:
    m = msg("workbench.database_error", "error", detail=float("nan"), rows=(1, 2))
    d = json.loads(json.dumps(m.to_dict(), allow_nan=False))
    assert d == {"code": "workbench.database_error", "params": {"detail": "nan", "rows": [1, 2]}, "severity": "error"}
    assert Message.from_dict(d).code == m.code
