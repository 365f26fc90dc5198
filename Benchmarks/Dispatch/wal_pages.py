#!/usr/bin/env python3
"""Which tables and indexes each commit in a copy of a Hodei store's WAL wrote, and how many
pages: every page a commit touches is a 4 KiB frame that the writer writes, the WAL thread
flushes and the checkpointer copies again, so pages per commit are what the store's CPU per
job follows.

    wal_pages.py DATABASE WAL_COPY

Take WAL_COPY while the server runs (cp DB-wal, before a checkpoint resets it), e.g. after
`hodei-load dispatch --jobs 300 --workers 1 --concurrency 1 --window 1` against a fresh
--db; then stop the server (its checkpoint brings DATABASE up to date, which is what maps
page numbers to b-trees). Prints the count of commits by pages written, then the most
frequent sets of b-trees one commit wrote. Reads only; standard library only.
"""
import collections
import sqlite3
import struct
import sys


def page_owners(path):
    """page number -> name of the table or index whose b-tree holds it (overflow pages aside)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    roots = con.execute("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0").fetchall()
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = open(path, "rb").read()
    owner = {}

    def walk(page, name, depth=0):
        if page in owner or depth > 20 or page * page_size > len(data):
            return
        owner[page] = name
        start = (page - 1) * page_size
        header = start + (100 if page == 1 else 0)
        kind = data[header]
        if kind in (2, 5):  # interior index / table page: the right-most child, then each cell's
            cells = struct.unpack(">H", data[header + 3:header + 5])[0]
            walk(struct.unpack(">I", data[header + 8:header + 12])[0], name, depth + 1)
            for i in range(cells):
                offset = struct.unpack(">H", data[header + 12 + 2 * i:header + 14 + 2 * i])[0]
                walk(struct.unpack(">I", data[start + offset:start + offset + 4])[0], name, depth + 1)

    for name, root in roots:
        walk(root, name)
    return owner


def commits(path):
    """The page numbers of each commit in the WAL, in order."""
    wal = open(path, "rb").read()
    page_size = struct.unpack(">I", wal[8:12])[0]
    position, current, found = 32, [], []
    while position + 24 + page_size <= len(wal):
        page, size_after_commit = struct.unpack(">II", wal[position:position + 8])
        current.append(page)
        position += 24 + page_size
        if size_after_commit:  # a commit's last frame
            found.append(current)
            current = []
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    owner = page_owners(sys.argv[1])
    found = commits(sys.argv[2])
    by_size = collections.Counter(len(pages) for pages in found)
    print(f"{len(found)} commits; pages per commit: " + ", ".join(f"{n}: {c}" for n, c in sorted(by_size.items())))
    shapes = collections.Counter(tuple(sorted(owner.get(p, f"page {p}") for p in pages)) for pages in found)
    for shape, count in shapes.most_common(6):
        print(f"{count:6} x {len(shape)} pages: {', '.join(shape)}")


if __name__ == "__main__":
    main()
