"""Review and correct an alignment: `aligner review`.

`operations` holds the corrections a reviewer makes (join, split, move, detach, edit,
confirm; see `Edit` in aligner.model), each undoable, and `apply_edits`, which replays a
list of them; `session` keeps the edits beside the output, against the input they were
made on, so that a review resumes where it stopped; `flags` keeps `check`'s flags of the
pairs, rechecking those an edit changed; `app` is the full-screen terminal UI (textual,
an optional dependency: `pip install 'aligner[review]'`).

From Python::

    from aligner.formats import read_units, save_units
    from aligner.model import Edit
    from aligner.review import apply_edits

    units = apply_edits(read_units("memory.tmx"), [Edit("join", 11), Edit("confirm", 11)])
    save_units(units, "reviewed.tmx")
"""

from .operations import Review, apply_edits, edit_from_json, edit_to_json

__all__ = ["Review", "apply_edits", "edit_from_json", "edit_to_json"]
