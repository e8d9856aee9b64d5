"""Labels of the engine's stable names (factors, outcomes, methods, statuses) as messages.

Results hold the stable names (``final_grade_S``, ``successor``, ``fisher``) and, beside them, the
message that labels each one; the text is chosen where the result is shown. Light module: no pandas.
"""

from __future__ import annotations

from typing import Any

from chiiki.i18n import Message, msg

FAMILY_PREFIX = "program_family="
OUTCOMES = ("successor", "regional", "time_to_successor")
METHODS = ("fisher", "firth", "cox")
STATUSES = ("supported", "not_supported", "inconclusive", "not_testable")
EVIDENCE_GRADES = ("strong", "moderate", "weak", "none", "not_testable")
EXCLUSION_REASONS = ("no_end_fy", "window_open", "ongoing", "successor_time_unknown")


def factor_label(name: str) -> Message:
    """``factors.factor.<name>``; a program-family indicator names its family as a parameter."""
    if name.startswith(FAMILY_PREFIX):
        return msg("factors.factor.program_family", "info", family=name[len(FAMILY_PREFIX) :])
    from chiiki.factors.messages import FACTOR_LABELS

    if name in FACTOR_LABELS:
        return msg(f"factors.factor.{name}", "info")
    from chiiki.factors.errors import UnknownFactorError

    raise UnknownFactorError(name)


def outcome_label(outcome: str) -> Message:
    return msg(f"factors.outcome.{outcome}", "info")


def method_label(method: str) -> Message:
    return msg(f"factors.method.{method}", "info")


def status_label(status: str) -> Message:
    return msg(f"factors.status.{status}", "info")


def exclusion_message(key: str, count: int) -> Message:
    """One exclusion count (key ``"<outcome>:<reason>"`` as in ``FactorAnalysis.exclusions``)."""
    outcome, _, reason = key.partition(":")
    return msg(
        "factors.excluded",
        "info",
        outcome=outcome_label(outcome).to_dict(),
        reason=msg(f"factors.exclusion.{reason}", "info").to_dict(),
        n=int(count),
    )


def nested(message: Message) -> dict[str, Any]:
    """A message as a parameter of another message (rendered in place, serializes as a dict)."""
    return message.to_dict()
