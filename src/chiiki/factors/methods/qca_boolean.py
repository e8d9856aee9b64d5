"""Exact Boolean minimization: Quine–McCluskey prime implicants + prime implicant chart.

Written here rather than taken from ``pyqca`` (alpha, unverified) because the algorithm is
short and every step can be pinned: ``tests/factors/test_qca.py`` reproduces the documented
solutions of R ``QCA::minimize`` on Lipset's crisp data (conservative
``DEV*~URB*LIT*STB + DEV*LIT*IND*STB``, parsimonious ``DEV*STB``, and both for ``~SURV``).

A term is a tuple over the conditions with 1 (present), 0 (absent) or ``None`` (eliminated).
Minimal solutions are the covers of the positive rows with the fewest prime implicants
(ties broken by fewest literals); all such covers are returned, like R's M1, M2, ...
"""

from __future__ import annotations

from itertools import combinations

Term = tuple[int | None, ...]


def _combine(a: Term, b: Term) -> Term | None:
    """Merge two terms that differ in exactly one specified position."""
    diff = -1
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y:
            continue
        if x is None or y is None or diff >= 0:
            return None
        diff = i
    if diff < 0:
        return None
    return a[:diff] + (None,) + a[diff + 1 :]


def prime_implicants(on: set[Term], dontcare: set[Term] | None = None) -> set[Term]:
    """All prime implicants of the function that is 1 on ``on`` (and free on ``dontcare``)."""
    current = set(on) | set(dontcare or set())
    primes: set[Term] = set()
    while current:
        used: set[Term] = set()
        nxt: set[Term] = set()
        # group by number of ones among specified positions to limit comparisons
        groups: dict[tuple[tuple[int, ...], int], list[Term]] = {}
        for t in current:
            mask = tuple(i for i, v in enumerate(t) if v is None)
            groups.setdefault((mask, sum(v for v in t if v is not None)), []).append(t)
        for (mask, ones), members in groups.items():
            partners = groups.get((mask, ones + 1), [])
            for a in members:
                for b in partners:
                    c = _combine(a, b)
                    if c is not None:
                        nxt.add(c)
                        used.add(a)
                        used.add(b)
        primes |= current - used
        current = nxt
    return primes


def covers(term: Term, row: Term) -> bool:
    return all(v is None or v == r for v, r in zip(term, row, strict=True))


def n_literals(term: Term) -> int:
    return sum(v is not None for v in term)


def solve_chart(primes: set[Term], on: set[Term], max_terms: int = 8) -> list[list[Term]]:
    """All minimal covers of ``on`` by ``primes`` (fewest terms, then fewest literals)."""
    useful = sorted(
        (p for p in primes if any(covers(p, m) for m in on)),
        key=lambda p: (n_literals(p), _sort_key(p)),
    )
    cover_sets = {p: frozenset(m for m in on if covers(p, m)) for p in useful}
    on_f = frozenset(on)
    if not on_f:
        return []
    essential = []
    for m in on_f:
        owners = [p for p in useful if m in cover_sets[p]]
        if len(owners) == 1 and owners[0] not in essential:
            essential.append(owners[0])
    covered = frozenset().union(*(cover_sets[p] for p in essential)) if essential else frozenset()
    rest = on_f - covered
    others = [p for p in useful if p not in essential and cover_sets[p] & rest]
    if not rest:
        return [_ordered(essential)]
    found: list[list[Term]] = []
    for size in range(1, min(max_terms, len(others)) + 1):
        for combo in combinations(others, size):
            if rest <= frozenset().union(*(cover_sets[p] for p in combo)):
                found.append(_ordered([*essential, *combo]))
        if found:
            break
    if not found:
        return []
    best = min(sum(n_literals(t) for t in sol) for sol in found)
    return [sol for sol in found if sum(n_literals(t) for t in sol) == best]


def _sort_key(term: Term) -> tuple[int, ...]:
    return tuple(3 if v is None else (2 - v) for v in term)


def _ordered(terms: list[Term]) -> list[Term]:
    return sorted(terms, key=_sort_key)


def term_to_str(term: Term, names: list[str]) -> str:
    """``(1, 0, None)`` with names A, B, C -> ``'A*~B'``; the empty term is ``'1'``."""
    parts = [n if v == 1 else f"~{n}" for v, n in zip(term, names, strict=True) if v is not None]
    return "*".join(parts) if parts else "1"


def minimize(on: set[Term], off: set[Term], n_conditions: int, include_remainders: bool) -> list[list[Term]]:
    """Minimal sums of products for positive rows ``on``.

    Conservative (complex) solution: remainders are not used. Parsimonious: every row that
    is neither positive nor negative (a logical remainder) may be used as a don't-care.
    """
    dontcare: set[Term] = set()
    if include_remainders:
        from itertools import product

        observed = set(on) | set(off)
        dontcare = {t for t in product((0, 1), repeat=n_conditions) if t not in observed}
    primes = prime_implicants(set(on), dontcare)
    return solve_chart(primes, set(on))
