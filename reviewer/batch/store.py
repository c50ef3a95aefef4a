"""The batch state: SQLite in the output folder.

Results are keyed by the report's content hash and a config key (tool version, profile, rules
selection, extractor config, year override), so a rerun skips what is done and a changed file is
reviewed again. ``inputs`` holds the current run's reports; the outputs are generated from it, in
path order, so they never hold duplicates. Results are committed as they arrive (WAL), the
outcomes of one worker's chunk in one transaction, so a kill loses nothing that finished.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS results(
    sha TEXT NOT NULL, config TEXT NOT NULL, result TEXT NOT NULL,
    agency TEXT, akey TEXT, year INTEGER,
    PRIMARY KEY (sha, config)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs(
    sha TEXT NOT NULL, prev_sha TEXT NOT NULL, config TEXT NOT NULL, findings TEXT NOT NULL,
    PRIMARY KEY (sha, prev_sha, config)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inputs(
    seq INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
    sha TEXT, config TEXT, uncached TEXT, agency TEXT, akey TEXT, year INTEGER,
    prev_path TEXT, prev_sha TEXT, pconfig TEXT);
"""
# inputs.status: todo (to review) | done (result stored) | error (uncached holds the result: unreadable,
# crashed — never stored under a hash)


class Store:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)  # autocommit; explicit transactions
        try:
            self._open()
        except sqlite3.Error:
            self.db.close()
            raise

    def _open(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:  # an older layout: start afresh rather than misread it
            self.db.executescript("DELETE FROM results; DELETE FROM pairs; DELETE FROM inputs;")
            self.db.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_VERSION,))
        # A state that cannot be written (read-only) fails here, before any output is touched.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('probe', '1')")
        finally:
            self.db.execute("ROLLBACK")

    def close(self) -> None:
        self.db.close()

    # --- the run's inputs --------------------------------------------------------------------
    def begin_run(self) -> None:
        self.db.execute("DELETE FROM inputs")

    def add_inputs(self, rows: list[tuple]) -> None:
        """rows: (seq, path, status, sha, config, uncached result, agency, akey, year)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO inputs(seq, path, status, sha, config, uncached, agency, akey, year)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )

    def todo(self, page: int = 256) -> Iterator[tuple[str, str | None, int | None]]:
        """(path, sha, year) of the inputs still to review, in input order, paged (memory flat)."""
        last = -1
        while True:
            rows = self.db.execute(
                "SELECT seq, path, sha, year FROM inputs WHERE status='todo' AND seq>? ORDER BY seq LIMIT ?",
                (last, page),
            ).fetchall()
            if not rows:
                return
            for seq, path, sha, year in rows:
                last = seq
                yield path, sha, year

    def put_result(self, path: str, sha: str | None, result: str, agency: str | None, akey: str | None,
                   year: int | None, cache: bool, suffix: str = "") -> str | None:
        """Store a report's result under its hash and the input's config (or, when it must not be
        cached, for this run only); ``suffix`` extends the config (a timeout: stored under the time
        budget it ran out of). Returns the manifest's agency for the input, if any."""
        return self.put_results([(path, sha, result, agency, akey, year, cache, suffix)])[0]

    def put_results(self, items: list[tuple]) -> list[str | None]:
        """``put_result`` for several reports in one transaction: items are its arguments, in order
        (path, sha, result, agency, akey, year, cache, suffix). Returns each input's manifest agency."""
        given: list[str | None] = []
        stored, uncached = [], []
        with self.db:
            self.db.execute("BEGIN")
            for path, sha, result, agency, akey, year, cache, suffix in items:
                config, manifest = self.db.execute("SELECT config, agency FROM inputs WHERE path=?", (path,)).fetchone()
                given.append(manifest)
                if cache and sha is not None:
                    config += suffix
                    stored.append(((sha, config, result, agency, akey, year), (sha, config, path)))
                else:  # not cacheable (an internal error, an unreadable file): kept for this run only
                    uncached.append((result, path))
            if stored:
                self.db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?)", [r for r, _ in stored])
                self.db.executemany("UPDATE inputs SET status='done', sha=?, config=?, uncached=NULL WHERE path=?",
                                    [i for _, i in stored])
            if uncached:
                self.db.executemany("UPDATE inputs SET status='error', uncached=? WHERE path=?", uncached)
        return given

    def result(self, sha: str, config: str) -> str | None:
        row = self.db.execute("SELECT result FROM results WHERE sha=? AND config=?", (sha, config)).fetchone()
        return row[0] if row else None

    # --- across years ------------------------------------------------------------------------
    def pair_up(self) -> int:
        """Attach to each reviewed report the same agency's report of the year before (matched by
        agency and year — reviewer.agency: "洪泽区人民政府" is "淮安市洪泽区人民政府"; the manifest's
        agency and year win over the detected ones; of two reports for one agency and year, the first
        path). Returns the number of pairs."""
        from reviewer.agency import compatible, short_key

        self.db.create_function("agency_short", 1, short_key, deterministic=True)
        self.db.create_function("agency_compatible", 2, compatible, deterministic=True)
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE inputs SET prev_path=NULL, prev_sha=NULL, pconfig=NULL")
            self.db.execute("DROP TABLE IF EXISTS temp.cur")
            self.db.execute(
                "CREATE TEMP TABLE cur AS SELECT i.path, i.sha, i.config, COALESCE(i.akey, r.akey) AS k,"
                " agency_short(COALESCE(i.akey, r.akey)) AS s, COALESCE(i.year, r.year) AS y"
                " FROM inputs i JOIN results r ON r.sha=i.sha AND r.config=i.config"
                " WHERE i.status='done' AND COALESCE(i.akey, r.akey) IS NOT NULL AND COALESCE(i.year, r.year) IS NOT NULL"
            )
            self.db.execute("CREATE INDEX temp.cur_sy ON cur(s, y, path)")
            self.db.execute(
                "WITH prev AS (SELECT c.path, c.config, (SELECT pc.path FROM cur pc WHERE pc.s=c.s AND pc.y=c.y-1"
                "   AND agency_compatible(pc.k, c.k) ORDER BY pc.path LIMIT 1) AS pp FROM cur c)"
                " UPDATE inputs SET prev_path=pc.path, prev_sha=pc.sha, pconfig=p.config || '|' || pc.config"
                " FROM prev p JOIN cur pc ON pc.path=p.pp WHERE inputs.path=p.path"
            )
            self.db.execute("DROP TABLE temp.cur")
        return self.db.execute("SELECT COUNT(*) FROM inputs WHERE prev_path IS NOT NULL").fetchone()[0]

    def pairs_pending(self) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM inputs i WHERE i.prev_path IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pairs x"
            " WHERE x.sha=i.sha AND x.prev_sha=i.prev_sha AND x.config=i.pconfig)"
        ).fetchone()[0]

    def pairs_todo(self, page: int = 256) -> Iterator[tuple[str, int | None, str, int | None]]:
        """(path, year, previous path, previous year) of the pairs not in the state, paged."""
        last = -1
        while True:
            rows = self.db.execute(
                "SELECT i.seq, i.path, i.year, i.prev_path, p.year FROM inputs i JOIN inputs p ON p.path=i.prev_path"
                " WHERE i.seq>? AND NOT EXISTS (SELECT 1 FROM pairs x"
                "   WHERE x.sha=i.sha AND x.prev_sha=i.prev_sha AND x.config=i.pconfig)"
                " ORDER BY i.seq LIMIT ?",
                (last, page),
            ).fetchall()
            if not rows:
                return
            for seq, *task in rows:
                last = seq
                yield tuple(task)  # type: ignore[misc]

    def put_pair(self, path: str, findings: str) -> None:
        self.put_pairs([(path, findings)])

    def put_pairs(self, items: list[tuple[str, str]]) -> None:
        """The cross-year findings of several reports, (path, findings JSON) each, in one transaction."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO pairs SELECT sha, prev_sha, pconfig, ? FROM inputs WHERE path=?",
                [(findings, path) for path, findings in items],
            )

    # --- outputs -----------------------------------------------------------------------------
    def rows(self) -> Iterator[tuple]:
        """Every input of the run that has an outcome, in path order: (path, sha, status, uncached,
        agency, result JSON, previous path, cross-year findings JSON)."""
        yield from self.db.execute(
            "SELECT i.path, i.sha, i.status, i.uncached, i.agency, r.result, i.prev_path, p.findings"
            " FROM inputs i LEFT JOIN results r ON r.sha=i.sha AND r.config=i.config"
            " LEFT JOIN pairs p ON p.sha=i.sha AND p.prev_sha=i.prev_sha AND p.config=i.pconfig"
            " WHERE i.status != 'todo' ORDER BY i.path"
        )

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM inputs GROUP BY status").fetchall())
