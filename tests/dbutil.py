"""Reading a scan's results database in tests: one query, the connection closed even when the query fails."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def rows(db: Path, sql: str, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()
