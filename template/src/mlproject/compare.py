"""Compare two results files: numbers within a tolerance, everything else exactly.

Another machine (operating system, processor, BLAS library) may add numbers in another order
and flip the sixth decimal, so CI compares a committed results.json with its own run this way:
``python -m mlproject compare committed.json results/results.json``.
"""

import math

#: Numbers match when they differ by at most ABS_TOL, or by a fraction REL_TOL of their size.
#: results.json rounds to 6 decimals, so that rounding alone can differ by 1e-6; a real change
#: (one prediction more or less right) moves a score by far more than 1e-5.
ABS_TOL, REL_TOL = 1e-5, 1e-9
IGNORED = ("environment",)  # the Python and package versions may differ (e.g. a patch release)


def differences(first, second, where: str = "") -> list[str]:
    """Where two JSON values differ, as "path: first value against second value"."""
    if isinstance(first, dict) and isinstance(second, dict):
        found = []
        for key in sorted(set(first) | set(second), key=str):
            path = f"{where}.{key}" if where else str(key)
            if not where and key in IGNORED:
                continue
            if key not in first or key not in second:
                found.append(f"{path}: only in the {'first' if key in first else 'second'} file")
            else:
                found += differences(first[key], second[key], path)
        return found
    if isinstance(first, list) and isinstance(second, list):
        if len(first) != len(second):
            return [f"{where}: {len(first)} items against {len(second)}"]
        found = []
        for i, (a, b) in enumerate(zip(first, second)):
            found += differences(a, b, f"{where}[{i}]")
        return found
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (first, second)):
        same = math.isclose(first, second, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    else:
        same = type(first) is type(second) and first == second
    return [] if same else [f"{where}: {first!r} against {second!r}"]
