"""Run inside a virtual environment where Taguette (from PyPI) is installed, never in chiiki's.

Round-trips a codebook through Taguette's own code: its database models (``taguette.database``),
its codebook import (``taguette.import_codebook.list_tags``, what the web form's upload runs)
and its exports (``taguette.export.codebook_csv`` / ``codebook_xml``, what its download buttons
run). Usage: ``python taguette_roundtrip.py IN.csv OUT_DIR``. Prints a JSON summary on stdout.
"""

import json
import sys
from pathlib import Path

from taguette import database, export, import_codebook


def main(codebook_csv: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    make_session = database.connect("sqlite:///" + str(out / "taguette.sqlite3"))
    db = make_session()
    user = database.User(login="chiiki")
    project = database.Project(name="chiiki interop", description="")
    db.add_all([user, project])
    db.flush()
    db.add(database.ProjectMember(user=user, project=project, privileges=database.Privileges.ADMIN))
    with open(codebook_csv, "rb") as fh:
        tags = import_codebook.list_tags(fh)
    # What the confirmation form does for new tags (views.ProjectImportCodebook.post).
    seen = set()
    for tag in tags:
        if tag["path"] in seen:
            continue
        seen.add(tag["path"])
        db.add(database.Tag(project_id=project.id, path=tag["path"], description=tag["description"]))
    db.commit()
    db.refresh(project)
    stored = list(project.tags)
    export.codebook_csv(stored, str(out / "taguette_codebook.csv"))
    with open(out / "taguette_codebook.qdc", "wb") as fh:
        export.codebook_xml(stored, fh)
    import taguette

    summary = {
        "version": getattr(taguette, "__version__", "?"),
        "imported": [{"path": t["path"], "description": t["description"]} for t in tags],
        "stored": [{"path": t.path, "description": t.description} for t in stored],
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
