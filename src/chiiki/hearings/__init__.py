"""Hearing (interview) surveys, documents, qualitative coding (QDA) and REFI-QDA exchange.

Policy-free functions on a Session; the Workbench (``chiiki.workbench.hearings_api``) decides
what a caller may see and hands it down as a :class:`~chiiki.hearings.privacy.Redaction`.
Names load lazily so ``import chiiki.hearings`` stays cheap for the CLI.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "load_bundled_hearings": "bundled",
    "load_default_guide": "bundled",
    "load_default_codebook": "bundled",
    "create_hearing": "records",
    "add_hearing_organization": "records",
    "add_hearing_adoption": "records",
    "add_interviewee": "records",
    "link_hearing_hubs": "records",
    "get_hearing": "records",
    "list_hearings": "records",
    "hearing_detail": "records",
    "ensure_organization": "records",
    "import_document": "importing",
    "content_hash": "importing",
    "list_documents": "documents",
    "document_detail": "documents",
    "delete_document": "documents",
    "get_document": "documents",
    "is_sample_document": "documents",
    "code_frequencies": "qda",
    "segment_coders": "qda",
    "import_codebook_csv": "refi",
    "export_codebook_csv": "refi",
    "add_document": "importing",
    "read_document_file": "importing",
    "decode_bytes": "importing",
    "split_speaker_turns": "importing",
    "add_code": "qda",
    "get_code": "qda",
    "list_codes": "qda",
    "add_segment": "qda",
    "code_by_search": "qda",
    "retrieve_segments": "qda",
    "code_matrix": "qda",
    "cohen_kappa": "agreement",
    "krippendorff_alpha_nominal": "agreement",
    "coder_agreement": "agreement",
    "export_codebook": "refi",
    "import_codebook": "refi",
    "export_qdpx": "refi",
    "import_qdpx": "refi",
    "select_documents": "selection",
    "segments_as_docs": "selection",
    "export_segments": "exports",
    "segments_table": "exports",
    "Result": "results",
    "NameMask": "privacy",
    "Redaction": "privacy",
    "known_names": "privacy",
    "HearingsError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'chiiki.hearings' has no attribute {name!r}")
    return getattr(import_module(f"chiiki.hearings.{module}"), name)
