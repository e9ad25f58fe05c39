"""The document pairs of a batch: a TSV manifest or a directory of NAME.zh / NAME.en
files, and the ids that name each pair's outputs."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..formats import read_text
from ..model import InputError
from .records import DocumentPair

FAILURES = "failures.tsv"  # beside the outputs: so no pair may take the id `failures`

ID_OK = re.compile(r"^\w[\w.+=@,-]*$")
ID_BAD_RUN = re.compile(r"[^\w.+=@,-]+")
NAME_SUFFIX = re.compile(r"(?:\.(?:zh|en|cn))?(?:\.txt)?$", re.I)
HEADER_CELLS = ({"zh", "zh_path"}, {"en", "en_path"})
HEADERS = {(zh, en) for zh in HEADER_CELLS[0] for en in HEADER_CELLS[1]}


class ManifestError(InputError):
    """A manifest that cannot be used: a missing file, a bad line, a duplicate id."""


def _derived_id(path: Path) -> str:
    """001.zh -> 001, essay.zh.txt -> essay, my essay.txt -> my_essay."""
    name = NAME_SUFFIX.sub("", path.name) or path.name
    name = ID_BAD_RUN.sub("_", name).strip("_.") or "pair"
    return name if ID_OK.match(name) else f"pair_{name}"


def _check_id(pair_id: str, where: str, derived: bool = False) -> str | None:
    """Why `pair_id` cannot name a pair's outputs, or None; `derived`: the id is the
    file's name (no third column), so the fix is to give one."""
    if not ID_OK.match(pair_id):
        return (
            f"{where}: id {pair_id!r} cannot name a file (use letters, digits and . _ - + = @ ,"
            " not starting with . or -)"
        )
    if pair_id.lower() == Path(FAILURES).stem:
        fix = "rename the files or give an id in a third column" if derived else "give another id"
        return f"{where}: id {pair_id!r} is reserved for {FAILURES}; {fix}"
    return None


def _resolve(cell: str, base: Path) -> Path:
    p = Path(cell).expanduser()
    return Path(os.path.abspath(p if p.is_absolute() else base / p))


def _tsv_line(
    cells: list[str], line: str, base: Path, where: str
) -> tuple[DocumentPair | None, str | None]:
    """The pair of one manifest line, or the error that line has."""
    if len(cells) > 3:
        return None, (
            f"{where}: expected zh_path<TAB>en_path[<TAB>id] or one bilingual file, "
            f"got {len(cells)} columns"
        )
    if not cells[0]:
        return None, f"{where}: the first column (a file) is empty"
    files = [cells[0]] + ([cells[1]] if len(cells) > 1 and cells[1] else [])
    paths = tuple(_resolve(c, base) for c in files)
    missing = [(c, p) for c, p in zip(files, paths, strict=True) if not p.is_file()]
    if missing:
        cell, p = missing[0]
        what = "is a directory" if p.is_dir() else "no such file"
        hint = ""
        if "\t" not in line and len(cell.split()) > 1:
            hint = " (columns are separated by tabs, not spaces)"
        return None, f"{where}: {cell}: {what}{hint}"
    derived = len(cells) < 3
    pair_id = _derived_id(paths[0]) if derived else cells[2]
    if problem := _check_id(pair_id, where, derived):
        return None, problem
    return DocumentPair(pair_id, paths, where), None


def _tsv_pairs(path: Path) -> tuple[list[DocumentPair], list[str]]:
    try:
        text = read_text(path)
    except InputError as err:
        raise ManifestError(str(err)) from None
    if "\0" in text:
        raise ManifestError(f"{path}: a binary file, not a manifest")
    pairs: list[DocumentPair] = []
    errors: list[str] = []
    first = True
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        if first:
            first = False
            if len(cells) >= 2 and all(cells[k].lower() in HEADER_CELLS[k] for k in range(2)):
                continue  # a header line
        pair, error = _tsv_line(cells, line, path.parent, f"{path}:{n}")
        if pair:
            pairs.append(pair)
        else:
            errors.append(error)
    return pairs, errors


def _split_name(name: str) -> tuple[str, str] | None:
    """NAME.zh, NAME.zh.txt -> (NAME, zh); likewise for en."""
    m = re.match(r"^(.+)\.(zh|en)(?:\.txt)?$", name, re.I)
    return (m.group(1), m.group(2).lower()) if m else None


def _directory_pairs(folder: Path) -> tuple[list[DocumentPair], list[str]]:
    """NAME.zh + NAME.en (or .zh.txt/.en.txt) side by side, or in zh/ and en/ subfolders."""
    sides: dict[str, dict[str, list[Path]]] = {}
    places = [folder]
    if (folder / "zh").is_dir() and (folder / "en").is_dir():
        places += [folder / "zh", folder / "en"]
    for place in places:
        for p in sorted(place.iterdir()):
            split = _split_name(p.name)
            if split and p.is_file():
                sides.setdefault(split[0], {}).setdefault(split[1], []).append(
                    Path(os.path.abspath(p))
                )
    pairs: list[DocumentPair] = []
    errors: list[str] = []
    for name in sorted(sides):
        found = sides[name]
        for lang, other in (("zh", "en"), ("en", "zh")):
            if len(found.get(lang, [])) > 1:
                names = " and ".join(str(p) for p in found[lang])
                errors.append(f"{folder}: {names} are both {name!r}: keep one")
            if lang in found and other not in found:
                errors.append(
                    f"{found[lang][0]}: no {name}.{other} or {name}.{other}.txt beside it"
                )
        if errors or len(found) != 2:
            continue
        zh, en = found["zh"][0], found["en"][0]
        pair_id = _derived_id(Path(name))
        if problem := _check_id(pair_id, str(zh), derived=True):
            errors.append(problem)
            continue
        pairs.append(DocumentPair(pair_id, (zh, en), str(zh)))
    if not pairs and not errors:
        errors.append(f"{folder}: no NAME.zh / NAME.en (or .zh.txt / .en.txt) pairs found")
    return pairs, errors


def _duplicate_ids(pairs: list[DocumentPair]) -> list[str]:
    seen: dict[str, DocumentPair] = {}
    errors = []
    for pair in pairs:
        key = pair.id.casefold()  # case-insensitive file systems would merge A and a
        if key in seen:
            errors.append(
                f"{pair.where}: duplicate id {pair.id!r} (also {seen[key].where}); "
                "give each pair its own id in a third column"
            )
        else:
            seen[key] = pair
    return errors


def read_manifest(manifest: str | Path) -> list[DocumentPair]:
    """The pairs of a manifest: a TSV file of `zh_path<TAB>en_path[<TAB>id]` lines (one
    bilingual file alone on a line works too: `file.txt` or `file.txt<TAB><TAB>id`), or a
    directory of `NAME.zh` / `NAME.en` files (or `.zh.txt` / `.en.txt`, or in `zh/` and
    `en/` subfolders).

    In a TSV, paths are relative to the manifest's folder; blank lines, `#` comments and a
    `zh_path<TAB>en_path` header line are skipped. A pair's id is the third column, else
    its first file's name without `.zh`/`.en`/`.txt`. Raises ManifestError naming the line
    for a missing file, a bad line or a duplicate id (and counting the other bad lines).
    """
    path = Path(manifest)
    if not path.exists():
        raise ManifestError(f"{path}: no such manifest file or directory")
    pairs, errors = _directory_pairs(path) if path.is_dir() else _tsv_pairs(path)
    errors += _duplicate_ids(pairs)
    if errors:
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise ManifestError(errors[0] + more)
    if not pairs:
        raise ManifestError(f"{path}: no pairs in the manifest")
    return pairs


SNIFF_LINES = 1000  # comment lines a manifest may open with, for `is_manifest`


def is_manifest(path: str | Path) -> bool:
    """Whether a .tsv file is a manifest rather than an aligned TSV (`aligner glossary`
    takes both): its first line, after blank lines, `#` comments and a header, names a
    file (an aligned TSV's holds a Chinese sentence)."""
    p = Path(path)
    if p.suffix.lower() != ".tsv" or not p.is_file():
        return False
    first = True
    try:
        with open(p, encoding="utf-8-sig", errors="replace") as fh:
            for _, raw in zip(range(SNIFF_LINES), fh, strict=False):
                line = raw.rstrip("\r\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cells = [c.strip() for c in line.split("\t")]
                header = [c.lower() for c in cells[:2]]
                if first and len(cells) >= 2 and tuple(header) in HEADERS:
                    first = False
                    continue
                return bool(cells[0]) and _resolve(cells[0], p.parent).is_file()
    except (OSError, ValueError):  # a cell too long or with a NUL for a file's name
        return False
    return False
