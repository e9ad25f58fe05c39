"""aligner.align.dp.best_path against brute force on tiny random cost tables.

A cost table here is, for every bead type (a, b), an array C[(a, b)] of shape (n+1, m+1)
whose entry [i, j] is the cost of that bead ending at node (i, j) (np.inf where it cannot
end there). The cost of a path is the sum over its beads of C[(i1-i0, j1-j0)][i1, j1].
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from aligner.align.dp import Band, best_path
from aligner.config import DEFAULT

Types = tuple[tuple[int, int], ...]
Table = dict[tuple[int, int], np.ndarray]
Bead = tuple[int, int, int, int]

BEAD_TYPES: Types = DEFAULT.bead_types

SKIPS_ONLY: Types = ((1, 1), (1, 0), (0, 1))
SMALL: Types = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1))
NO_SKIPS: Types = ((1, 1), (1, 2), (2, 1))
TYPE_SETS = {"all": BEAD_TYPES, "skips": SKIPS_ONLY, "small": SMALL, "no_skips": NO_SKIPS}


# ---------------------------------------------------------------- helpers


def random_table(rs: np.random.RandomState, n: int, m: int, types: Types) -> Table:
    """Uniform costs in [0, 3); inf where the bead would start before (0, 0)."""
    ii, jj = np.mgrid[: n + 1, : m + 1]
    table = {}
    for a, b in types:
        c = rs.uniform(0.0, 3.0, size=(n + 1, m + 1))
        c[(ii - a < 0) | (jj - b < 0)] = np.inf
        table[(a, b)] = c
    return table


def make_cost_fn(
    table: Table, types: Types, n: int, m: int, lo: np.ndarray, width: int, calls: list
) -> Callable[[int, int], dict[tuple[int, int], np.ndarray]]:
    """cost_fn(i0, i1) -> {type: (i1-i0, width+1)} read from the dense table over the band."""

    def cost_fn(i0: int, i1: int) -> dict[tuple[int, int], np.ndarray]:
        assert 0 <= i0 < i1 <= n + 1
        calls.append((i0, i1))
        out = {}
        for t in types:
            arr = np.full((i1 - i0, width + 1), np.inf)
            for i in range(i0, i1):
                for k in range(width + 1):
                    j = int(lo[i]) + k
                    if 0 <= j <= m:
                        arr[i - i0, k] = table[t][i, j]
            out[t] = arr
        return out

    return cost_fn


def in_band(lo: np.ndarray | None, width: int | None) -> Callable[[int, int], bool]:
    if lo is None:
        return lambda i, j: True
    return lambda i, j: int(lo[i]) <= j <= int(lo[i]) + width


def all_paths(n: int, m: int, types: Types, inside: Callable[[int, int], bool]) -> Iterator:
    """Every bead sequence from (0, 0) to (n, m) whose nodes all lie inside the band."""
    path: list[Bead] = []

    def rec(i: int, j: int) -> Iterator[list[Bead]]:
        if (i, j) == (n, m):
            yield list(path)
            return
        for a, b in types:
            i2, j2 = i + a, j + b
            if i2 <= n and j2 <= m and inside(i2, j2):
                path.append((i, i2, j, j2))
                yield from rec(i2, j2)
                path.pop()

    if inside(0, 0):
        yield from rec(0, 0)


def path_cost(table: Table, path: list[Bead]) -> float:
    return float(sum(table[(i1 - i0, j1 - j0)][i1, j1] for i0, i1, j0, j1 in path))


def brute_force(table: Table, n: int, m: int, types: Types, lo=None, width=None) -> float:
    costs = [path_cost(table, p) for p in all_paths(n, m, types, in_band(lo, width))]
    return min(costs, default=np.inf)


def check_path(path: list[Bead], n: int, m: int, types: Types, lo=None, width=None) -> None:
    """Contiguous from (0, 0) to (n, m), beads of the given types, nodes inside the band."""
    inside = in_band(lo, width)
    i, j = 0, 0
    for i0, i1, j0, j1 in path:
        assert (i0, j0) == (i, j), path
        assert (i1 - i0, j1 - j0) in types, path
        assert inside(i1, j1), path
        i, j = i1, j1
    assert (i, j) == (n, m), path


def run(table, n, m, types, lo, width, block=512):
    calls: list = []
    cost_fn = make_cost_fn(table, types, n, m, lo, width, calls)
    path = best_path(Band(range(n), range(m), lo, width), cost_fn, types, block)
    return path, calls


# ---------------------------------------------------------------- dense band


@pytest.mark.parametrize("types_name", sorted(TYPE_SETS))
@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("m", [1, 2, 3, 4])
def test_dense_band_matches_brute_force(types_name: str, n: int, m: int) -> None:
    types = TYPE_SETS[types_name]
    lo = np.zeros(n + 1, dtype=int)
    for seed in range(3):
        rs = np.random.RandomState(1000 * seed + 10 * n + m)
        table = random_table(rs, n, m, types)
        want = brute_force(table, n, m, types)
        if not np.isfinite(want):
            # no bead sequence of these types reaches (n, m): the DP says so
            with pytest.raises(RuntimeError):
                run(table, n, m, types, lo, m)
            continue
        path, _ = run(table, n, m, types, lo, m)
        check_path(path, n, m, types)
        assert path_cost(table, path) == pytest.approx(want), (seed, path)


def test_brute_force_enumerates_all_paths() -> None:
    # the reference itself: 1x1 with (1,1),(1,0),(0,1) has 3 paths, 2x2 has 13 (Delannoy)
    inside = in_band(None, None)
    assert len(list(all_paths(1, 1, SKIPS_ONLY, inside))) == 3
    assert len(list(all_paths(2, 2, SKIPS_ONLY, inside))) == 13


def test_unique_cheap_path_is_found() -> None:
    """A hand-made table: only the 1-2, 1-1 path is cheap."""
    n, m = 2, 3
    types = SMALL
    table = {t: np.full((n + 1, m + 1), 5.0) for t in types}
    table[(1, 2)][1, 2] = 0.1
    table[(1, 1)][2, 3] = 0.1
    path, _ = run(table, n, m, types, np.zeros(n + 1, dtype=int), m)
    assert path == [(0, 1, 0, 2), (1, 2, 2, 3)]


@pytest.mark.parametrize("block", [1, 2, 3])
def test_cost_blocks_give_the_same_path(block: int) -> None:
    """cost_fn is called for blocks of rows; the block size must not change the answer."""
    n, m = 4, 4
    rs = np.random.RandomState(7)
    table = random_table(rs, n, m, BEAD_TYPES)
    lo = np.zeros(n + 1, dtype=int)
    want, _ = run(table, n, m, BEAD_TYPES, lo, m)
    got, calls = run(table, n, m, BEAD_TYPES, lo, m, block=block)
    assert path_cost(table, got) == pytest.approx(path_cost(table, want))
    assert len(calls) > 1
    # the blocks tile the rows 0 .. n
    assert calls[0][0] == 0 and calls[-1][1] == n + 1
    assert all(a[1] == b[0] for a, b in zip(calls, calls[1:], strict=False))


# ---------------------------------------------------------------- narrow band


def random_band(rs: np.random.RandomState, n: int, m: int, width: int) -> np.ndarray:
    """A non-decreasing lo with lo[0] = 0 and lo[n] <= m <= lo[n] + width."""
    while True:
        lo = np.sort(rs.randint(0, m - width + 1, size=n + 1))
        lo[0] = 0
        lo[n] = max(lo[n], m - width)
        lo = np.maximum.accumulate(lo)
        if lo[n] <= m <= lo[n] + width:
            return lo


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("m", [3, 4])
@pytest.mark.parametrize("width", [1, 2])
def test_narrow_band_matches_brute_force_inside_band(n: int, m: int, width: int) -> None:
    assert width < m
    types = BEAD_TYPES
    for seed in range(4):
        rs = np.random.RandomState(500 + 100 * seed + 10 * n + m + width)
        lo = random_band(rs, n, m, width)
        table = random_table(rs, n, m, types)
        want = brute_force(table, n, m, types, lo, width)
        assert np.isfinite(want)  # (1,0) and (0,1) beads always connect a band
        path, _ = run(table, n, m, types, lo, width)
        check_path(path, n, m, types, lo, width)
        assert path_cost(table, path) == pytest.approx(want), (seed, lo.tolist(), path)


def test_hand_made_staircase_band() -> None:
    n, m, width = 4, 4, 1
    lo = np.array([0, 1, 2, 3, 3])
    table = random_table(np.random.RandomState(3), n, m, BEAD_TYPES)
    want = brute_force(table, n, m, BEAD_TYPES, lo, width)
    path, _ = run(table, n, m, BEAD_TYPES, lo, width)
    check_path(path, n, m, BEAD_TYPES, lo, width)
    assert path_cost(table, path) == pytest.approx(want)


def reference_min(table: Table, n: int, m: int, types: Types, lo, width) -> float:
    """The band optimum by memoised recursion (for bands too wide to enumerate)."""
    inside = in_band(lo, width)

    @functools.cache
    def best(i: int, j: int) -> float:
        if (i, j) == (0, 0):
            return 0.0
        out = np.inf
        for a, b in types:
            if i - a >= 0 and j - b >= 0 and inside(i - a, j - b):
                out = min(out, best(i - a, j - b) + table[(a, b)][i, j])
        return out

    return best(n, m)


def test_band_rows_far_apart() -> None:
    """Rows whose starts differ by more than the DP's padding (64 columns)."""
    n, m, width = 2, 72, 70
    lo = np.array([0, 66, 70])
    types = SMALL
    table = random_table(np.random.RandomState(11), n, m, types)
    want = reference_min(table, n, m, types, lo, width)
    path, _ = run(table, n, m, types, lo, width)
    check_path(path, n, m, types, lo, width)
    assert path_cost(table, path) == pytest.approx(want)


# ---------------------------------------------------------------- forbidden beads


def test_forbidden_beads_inside_rows_brute_force() -> None:
    """np.inf anywhere (not only at the edges) marks beads that cannot end there."""
    bad = []
    for seed in range(40):
        rs = np.random.RandomState(seed)
        n, m = rs.randint(1, 5), rs.randint(1, 5)
        table = random_table(rs, n, m, BEAD_TYPES)
        for t in BEAD_TYPES:
            table[t][rs.uniform(size=table[t].shape) < 0.2] = np.inf
        want = brute_force(table, n, m, BEAD_TYPES)
        lo = np.zeros(n + 1, dtype=int)
        try:
            path, _ = run(table, n, m, BEAD_TYPES, lo, m)
        except RuntimeError:
            if np.isfinite(want):
                bad.append((seed, "no path", want))
            continue
        got = path_cost(table, path)
        if not got == pytest.approx(want):
            bad.append((seed, got, want))
    assert not bad, f"{len(bad)} of 40 tables: (seed, got, want) {bad[:5]}"


def test_forbidden_skip_bead_inside_a_row() -> None:
    """The smallest case: the (0,1) bead may not end at (1, 2); every other bead costs 1.

    Cheapest: (0,0)-(0,1)-(0,2) by two (0,1) beads, then a (1,1) bead to (1,3): cost 3.
    """
    n, m = 1, 3
    types: Types = ((1, 1), (0, 1))
    table = random_table(np.random.RandomState(0), n, m, types)
    for t in types:
        table[t][np.isfinite(table[t])] = 1.0
    table[(0, 1)][1, 2] = np.inf
    assert brute_force(table, n, m, types) == 3.0
    path, _ = run(table, n, m, types, np.zeros(n + 1, dtype=int), m)
    check_path(path, n, m, types)
    assert path_cost(table, path) == 3.0, path


# ---------------------------------------------------------------- empty sides


def _never_called(i0: int, i1: int):
    raise AssertionError("cost_fn must not be called when a side is empty")


def empty_band(n: int, m: int) -> Band:
    return Band(range(n), range(m), np.zeros(n + 1, dtype=int), m)


def test_both_sides_empty() -> None:
    assert best_path(empty_band(0, 0), _never_called, BEAD_TYPES, 512) == []


@pytest.mark.parametrize("m", [1, 3])
def test_no_chinese_units(m: int) -> None:
    path = best_path(empty_band(0, m), _never_called, BEAD_TYPES, 512)
    assert path == [(0, 0, j, j + 1) for j in range(m)]


@pytest.mark.parametrize("n", [1, 3])
def test_no_english_units(n: int) -> None:
    path = best_path(empty_band(n, 0), _never_called, BEAD_TYPES, 512)
    assert path == [(i, i + 1, 0, 0) for i in range(n)]


@pytest.mark.parametrize(
    "lo, width",
    [([1, 1, 2], 2), ([0, 0, 0], 2), ([0, 2, 1], 2), ([0, 1], 2)],
    ids=["not from (0, 0)", "not to (n, m)", "moving left", "wrong length"],
)
def test_a_band_must_lead_from_start_to_end(lo: list[int], width: int) -> None:
    with pytest.raises(AssertionError):
        Band(range(2), range(3), np.array(lo), width)


def test_band_units_of_a_block() -> None:
    """Beads ending in node rows i0 .. i1 - 1 hold units from up to the longest bead's
    length before i0, in the band's columns; numbers are those of the whole text."""
    lo = np.array([0, 0, 2, 4, 6, 8, 10, 12, 14, 16, 20])
    band = Band(range(10, 20), range(100, 130), lo, 10)
    assert band.units(0, 3, SMALL) == (range(10, 13), range(100, 112))
    assert band.units(5, 8, SMALL) == (range(13, 18), range(106, 122))
    assert band.units(9, 11, BEAD_TYPES) == (range(14, 20), range(111, 130))


def test_bead_types_are_sane() -> None:
    for types in (BEAD_TYPES, DEFAULT.first_pass_types, DEFAULT.coarse_types,
                  DEFAULT.paragraph_types):  # fmt: skip
        assert (1, 1) in types and (1, 0) in types and (0, 1) in types
        assert len(set(types)) == len(types)
        assert all(a >= 0 and b >= 0 and a + b > 0 for a, b in types)
        assert set(types) <= set(BEAD_TYPES)


# ---------------------------------------------------------------- the compiled rows


@pytest.mark.parametrize("types_name", sorted(TYPE_SETS))
def test_the_compiled_rows_find_the_numpy_path(types_name: str, monkeypatch) -> None:
    """Long texts run the DP's rows compiled (numba): the same floating point steps in
    the same order, so the same path, the same ties broken the same way, on bands that
    move and with blocked (inf) costs and tied costs (rounded to a tenth)."""
    import aligner.align.dp as dp

    pytest.importorskip("numba")
    types = TYPE_SETS[types_name]
    rs = np.random.RandomState(7)
    n, m, width = 60, 75, 12
    lo = np.minimum(np.round(np.arange(n + 1) * (m - width / 2) / n).astype(int), m)
    lo = np.maximum(np.minimum(lo, m), np.maximum(0, m - width) * (np.arange(n + 1) == n))
    lo[0] = 0
    table = random_table(rs, n, m, types)
    for c in table.values():
        c[rs.uniform(size=c.shape) < 0.1] = np.inf
        np.round(c, 1, out=c)
    paths = []
    for threshold in (10**12, 0):  # numpy's rows, then the compiled ones
        monkeypatch.setattr(dp, "COMPILED_MIN", threshold)
        paths.append(run(table, n, m, types, lo, width, block=16)[0])
    assert paths[0] == paths[1]
    check_path(paths[1], n, m, types, lo, width)
