"""The departments of France as the network's funds serve them: 01–95 (Corsica as 2A and 2B since 1976, no 20)
and the overseas departments 971–976."""

DEPARTMENT_CODES = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)


def unknown_departments(codes: list[str]) -> list[str]:
    """The codes of `codes` that name no department (already upper-cased and stripped by the caller)."""
    return [code for code in codes if code not in DEPARTMENT_CODES]
