"""Draw the entity-relationship diagram of the store from the SQLAlchemy models.

    .venv/bin/python docs/make_erd.py        # writes docs/schema.dot and, with Graphviz, docs/schema.png
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kehoach.models.tables import Base

HERE = Path(__file__).parent


def dot_source() -> str:
    lines = ["digraph kehoach {", '  graph [rankdir=LR, fontname="DejaVu Sans", fontsize=10];',
             '  node [shape=plain, fontname="DejaVu Sans", fontsize=9];', '  edge [arrowsize=0.6];']
    for table in Base.metadata.sorted_tables:
        rows = [f'<tr><td bgcolor="#dde6f0" colspan="2"><b>{table.name}</b></td></tr>']
        for col in table.columns:
            mark = "PK" if col.primary_key else ("FK" if col.foreign_keys else "")
            rows.append(f'<tr><td align="left" port="{col.name}">{col.name} <font color="#777777">'
                        f'{str(col.type).lower()}</font></td><td>{mark}</td></tr>')
        lines.append(f'  {table.name} [label=<<table border="0" cellborder="1" cellspacing="0">{"".join(rows)}</table>>];')
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            lines.append(f"  {table.name}:{fk.parent.name} -> {fk.column.table.name}:{fk.column.name};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    src = HERE / "schema.dot"
    src.write_text(dot_source(), encoding="utf-8")
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tpng", "-Gdpi=110", str(src), "-o", str(HERE / "schema.png")], check=True)
        print("wrote docs/schema.dot and docs/schema.png")
    else:
        print("wrote docs/schema.dot; install Graphviz (apt-get install graphviz) for docs/schema.png")


if __name__ == "__main__":
    main()
