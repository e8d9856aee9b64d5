"""Japanese text mining for interview transcripts, free-text answers and comments.

A small KH Coder-like engine on plain Python objects: Sudachi tokenization with forced terms,
frequencies, KWIC, co-occurrence networks, correspondence analysis and coding rules with
cross-tabulation. Nothing heavy (pandas, scipy, sudachipy) is imported until a name below is
used, so ``import chiiki.text`` stays cheap for the CLI.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "Doc": "corpus",
    "Corpus": "corpus",
    "Sentence": "corpus",
    "split_sentences": "corpus",
    "unwrap_lines": "corpus",
    "nfkc": "normalize",
    "normalize_with_offsets": "normalize",
    "Token": "tokenize",
    "Tokenizer": "tokenize",
    "DEFAULT_TERMS": "tokenize",
    "DEFAULT_STOPWORDS": "tokenize",
    "DEFAULT_POS_KEEP": "tokenize",
    "FORCED_POS": "tokenize",
    "load_terms": "tokenize",
    "sudachi_tokenizer": "tokenize",
    "TokenizedCorpus": "tokenized",
    "tokenize_corpus": "tokenized",
    "frequencies": "freq",
    "kwic": "concordance",
    "cooccurrence": "cooccur",
    "CooccurrenceResult": "cooccur",
    "correspondence": "ca",
    "correspondence_table": "ca",
    "CAResult": "ca",
    "CodingRules": "rules",
    "RuleSyntaxError": "rules",
    "crosstab": "crosstabs",
    "CrosstabResult": "crosstabs",
    "adjusted_residuals": "crosstabs",
    "crosstab_codes": "crosstabs",
}

__all__ = sorted(_EXPORTS)

# Module names must differ from exported names: importing ``chiiki.text.kwic`` would bind the
# submodule over the function of the same name.


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'chiiki.text' has no attribute {name!r}")
    value = getattr(import_module(f"chiiki.text.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
