"""Shared fixtures for the text-mining tests: one Sudachi-backed tokenizer per session."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_a6dc0c6e9091a970.txt"


@pytest.fixture(scope="session")
def tokenizer():
    from chiiki.text import Tokenizer

    return Tokenizer()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The real survey report; tests using it skip cleanly when ../shared is absent."""
    if not SEED.exists():
        pytest.skip(f"seed document not available: {SEED}")
    return SEED
