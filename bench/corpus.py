"""Real public SQLite / D1 migration histories: rebuild the corpus and run the CLI on it.

``bench/corpus.toml`` names each history (repository, commit, migrations folder, runner,
the foreign-keys setting its application really uses). Two commands:

``python bench/corpus.py rebuild [--dest DIR] [--mirror DIR]``
    Copies each history out of the bare git snapshot under ``<mirror>/<owner>+<name>/`` at
    the manifest's commit into ``<dest>/<owner>__<name>/<path>`` (SQL files and the small
    files the runner needs only), and lists the repositories that must be fetched first.
    With ``--git``: a local clone of the snapshot checked out at that commit instead (the
    whole work tree and its history, so the check reads the set's ship groups from git;
    use another ``--dest`` than the shared copy-only corpus).

``python bench/corpus.py run [--cli CMD] [--out FILE] [--dest DIR] [--timeout S] [--reports DIR]``
    Runs ``CMD check <folder> --target T --foreign-keys F --profile ci --no-regressions
    --json <tmp>`` on every history, one at a time, and writes a JSON summary (exit code,
    wall time, findings) and prints a table. Runners the CLI has no target for are passed
    by name and recorded as refused.

Standard library only; nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

HERE: Final = Path(__file__).resolve().parent
MANIFEST: Final = HERE / "corpus.toml"
DEFAULT_DEST: Final = Path("/work/corpus")
DEFAULT_MIRROR: Final = Path("/work/.mirror")
FUNCTIONS: Final = Path(__file__).with_name("corpus_functions.py")
# Our SQL stand-ins for Go migrations, one folder per history (``owner__name``).
EQUIVALENTS: Final = HERE / "corpus_equivalents"
DEFAULT_TIMEOUT: Final = 900.0
RUNNERS: Final = (
    "d1",
    "drizzle",
    "golang-migrate",
    "goose",
    "goose-v1",
    "dbmate",
    "sqlx",
    "diesel",
    "prisma",
    "flyway",
    "liquibase",
    "sqitch",
    "sql-migrate",
    "bun",
    "refinery",
    "yoyo",
    "atlas",
    "node-sqlite",
    "rusqlite_migration",
    "sqldelight",
    "postgrator",
    "postgrator-query",
    "postgrator-split",
    "platformatic",
    "micrate",
)
# Runner -> the CLI's --target; runners absent here are passed by name (the CLI refuses them).
TARGETS: Final = {
    "d1": "d1",
    "golang-migrate": "golang-migrate",
    "goose": "goose",
    "goose-v1": "goose-v1",
    "dbmate": "dbmate",
    "sqlx": "sqlx",
    "diesel": "diesel",
    "sql-migrate": "sql-migrate",
    "bun": "bun",
    "refinery": "refinery",
    "yoyo": "yoyo",
    "atlas": "atlas",
    "node-sqlite": "node-sqlite",
    "rusqlite_migration": "rusqlite_migration",
    "sqldelight": "sqldelight",
    "postgrator": "postgrator",
    "postgrator-query": "postgrator-query",
    "postgrator-split": "postgrator-split",
    "platformatic": "platformatic",
    "micrate": "micrate",
}
# Small files a runner reads beside its SQL, copied wherever they sit under `path`.
RUNNER_FILES: Final = frozenset(
    {
        "metadata.toml",
        "migration_lock.toml",
        "_journal.json",
        "sqitch.plan",
        "sqitch.conf",
        "flyway.conf",
        "Cargo.toml",
        "yoyo.ini",
        "atlas.sum",
        "build.gradle.kts",
        "build.gradle",
    }
)


@dataclass(frozen=True, slots=True)
class History:
    """One ``[[history]]`` table of the manifest."""

    repo: str
    commit: str
    path: str
    runner: str
    foreign_keys: str
    why: str
    migrations: int
    notes: str = ""
    config: tuple[str, ...] = ()
    # Flyway placeholder values the application's configuration sets (--placeholder).
    placeholders: tuple[tuple[str, str], ...] = ()
    # SQL functions the application registers: name -> callable in bench/corpus_functions.py
    # (our stand-ins, written from the application's source and cited there).
    functions: tuple[tuple[str, str], ...] = ()
    # "off" where the application opens golang-migrate with x-no-tx-wrap=true.
    tx_wrap: str = "on"
    # Flyway's mixed as the application sets it (komga: spring.flyway.mixed: true).
    flyway_mixed: str = "off"
    # Which versions production ran (the CLI's --ship-groups): "tags" for an application
    # that ships only as tagged releases; "git" (the CLI's default) otherwise.
    ship_groups: str = "git"
    # Whether the application ever runs a down file (the CLI's --production-rollbacks):
    # "unused" where its code only migrates up (say where that was read); and the first
    # version whose down it does run, for one that downgrades only from a version on.
    production_rollbacks: str = "used"
    production_rollbacks_from: str = ""
    # Code the application runs just before a migration file (stash's NN_premigrate.go):
    # migration label -> where the hook is, written to [tool.migration-harness.
    # pre_migration_hooks] so the findings it may prevent say so.
    pre_migration_hooks: tuple[tuple[str, str], ...] = ()
    # PRAGMA foreign_keys of the application's own serving connections (the CLI's
    # --application-foreign-keys); "" leaves the CLI's default (as the migration connection).
    application_foreign_keys: str = ""
    # The engine production runs the files on (the CLI's --dialect): "libsql" for a Turso /
    # @libsql/client application (its ALTER TABLE … ALTER COLUMN runs), else "sqlite".
    dialect: str = "sqlite"
    # Go migrations of the set -> our SQL stand-in (path under bench/corpus_equivalents),
    # written to [tool.migration-harness.equivalents] so the check runs past them.
    equivalents: tuple[tuple[str, str], ...] = ()

    @property
    def slug(self) -> str:
        """The corpus folder name: ``owner__name``."""
        return self.repo.replace("/", "__")

    @property
    def mirror_name(self) -> str:
        """The snapshot folder name ``fetch`` uses: ``owner+name``."""
        return self.repo.replace("/", "+")

    @property
    def target(self) -> str:
        """The CLI's ``--target`` for this runner (the runner's own name when it has none)."""
        return TARGETS.get(self.runner, self.runner)

    def folder(self, dest: Path) -> Path:
        """The migrations folder of this history inside the corpus at ``dest``."""
        return (dest / self.slug / self.path).resolve()


@dataclass(slots=True)
class Outcome:
    """What one ``check`` run did."""

    history: History
    exit_code: int | None
    seconds: float
    timed_out: bool = False
    error: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain data for the summary file."""
        h = self.history
        return {
            "repo": h.repo,
            "commit": h.commit,
            "runner": h.runner,
            "target": h.target,
            "foreign_keys": h.foreign_keys,
            "application_foreign_keys": h.application_foreign_keys or h.foreign_keys,
            "migrations": h.migrations,
            "exit_code": self.exit_code,
            "seconds": round(self.seconds, 2),
            "timed_out": self.timed_out,
            "error": self.error,
            "by_kind": dict(Counter(f["kind"] for f in self.findings)),
            "by_severity": dict(Counter(f["severity"] for f in self.findings if "severity" in f)),
            "findings": self.findings,
            "stats": self.stats,
        }


def load_manifest(path: Path = MANIFEST) -> list[History]:
    """Read and validate ``corpus.toml``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    histories = []
    for i, raw in enumerate(data.get("history", []), start=1):
        try:
            h = History(
                repo=raw["repo"],
                commit=raw["commit"],
                path=raw["path"],
                runner=raw["runner"],
                foreign_keys=raw["foreign_keys"],
                why=raw["why"],
                migrations=int(raw["migrations"]),
                notes=raw.get("notes", ""),
                config=tuple(raw.get("config", ())),
                placeholders=tuple(sorted(raw.get("placeholders", {}).items())),
                functions=tuple(sorted(raw.get("functions", {}).items())),
                tx_wrap=raw.get("tx_wrap", "on"),
                flyway_mixed=raw.get("flyway_mixed", "off"),
                ship_groups=raw.get("ship_groups", "git"),
                production_rollbacks=raw.get("production_rollbacks", "used"),
                production_rollbacks_from=str(raw.get("production_rollbacks_from", "")),
                pre_migration_hooks=tuple(sorted(raw.get("pre_migration_hooks", {}).items())),
                application_foreign_keys=raw.get("application_foreign_keys", ""),
                dialect=raw.get("dialect", "sqlite"),
                equivalents=tuple(sorted(raw.get("equivalents", {}).items())),
            )
        except KeyError as exc:
            message = f"{path}: history #{i} lacks the key {exc}"
            raise SystemExit(message) from None
        if h.runner not in RUNNERS:
            msg = f"{path}: {h.repo}: unknown runner {h.runner!r}"
            raise SystemExit(msg)
        if h.dialect not in ("sqlite", "libsql"):
            msg = f"{path}: {h.repo}: dialect must be 'sqlite' or 'libsql'"
            raise SystemExit(msg)
        if h.production_rollbacks not in ("used", "unused"):
            msg = f"{path}: {h.repo}: production_rollbacks must be 'used' or 'unused'"
            raise SystemExit(msg)
        if h.foreign_keys not in ("on", "off"):
            msg = f"{path}: {h.repo}: foreign_keys must be 'on' or 'off'"
            raise SystemExit(msg)
        if h.application_foreign_keys not in ("", "on", "off"):
            msg = f"{path}: {h.repo}: application_foreign_keys must be 'on' or 'off'"
            raise SystemExit(msg)
        for go_file, stand_in in h.equivalents:
            if not go_file.endswith(".go") or not (EQUIVALENTS / stand_in).is_file():
                msg = f"{path}: {h.repo}: equivalents maps {go_file} to {stand_in}, "
                msg += f"which is no file under {EQUIVALENTS}"
                raise SystemExit(msg)
        if len(h.commit) != 40 or any(c not in "0123456789abcdef" for c in h.commit):
            msg = f"{path}: {h.repo}: commit must be 40 lowercase hex digits"
            raise SystemExit(msg)
        histories.append(h)
    return histories


# ------------------------------------------------------------------------------ rebuild


def find_git_dir(mirror: Path, history: History) -> Path | None:
    """The bare git directory ``fetch`` left under ``<mirror>/<owner>+<name>/``, if any."""
    base = mirror / history.mirror_name
    if not base.is_dir():
        return None
    candidates = [base, *sorted(p for p in base.rglob("*") if p.is_dir())]
    for candidate in candidates:
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def _git(git_dir: Path, *args: str) -> bytes:
    """Run a read-only git command on ``git_dir`` and return its stdout."""
    result = subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode(errors="replace").strip())
    return result.stdout


def _wanted(history: History, path: str) -> bool:
    """Whether a file of the snapshot belongs in the corpus copy of ``history``."""
    if path in history.config:
        return True
    prefix = "" if history.path in ("", ".") else history.path.rstrip("/") + "/"
    if not path.startswith(prefix):
        return False
    name = path.rsplit("/", 1)[-1]
    # A Go migration with a stand-in is copied too: the check must see it to replace it.
    go_files = {go_file for go_file, _ in history.equivalents}
    # SQLDelight: its migrations (.sqm), queries (.sq, read for CREATE) and <V>.db schemas.
    schema_file = name.endswith(".db") and name[:-3].isdigit()
    sql_like = name.endswith((".sql", ".sqm", ".sq")) or schema_file
    return sql_like or name in RUNNER_FILES or name in go_files


def _list_blobs(git_dir: Path, commit: str) -> list[tuple[str, str]]:
    """``(object id, path)`` of every regular file in ``commit``."""
    out = _git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit)
    blobs = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, oid = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            blobs.append((oid.decode(), path.decode()))
    return blobs


def _read_blobs(git_dir: Path, oids: list[str]) -> dict[str, bytes]:
    """The contents of ``oids`` via one ``git cat-file --batch``; missing objects are left out."""
    proc = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
        input="".join(f"{o}\n" for o in oids).encode(),
        capture_output=True,
        check=False,
    )
    data, pos, found = proc.stdout, 0, {}
    for oid in oids:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        found[oid] = data[pos : pos + size]
        pos += size + 1
    return found


def rebuild_one(history: History, git_dir: Path, dest: Path) -> int:
    """Copy one history into ``dest/<owner>__<name>/``; return the number of files written."""
    try:
        _git(git_dir, "cat-file", "-e", f"{history.commit}^{{commit}}")
    except RuntimeError:
        message = f"commit {history.commit} is not in the snapshot {git_dir}"
        raise RuntimeError(message) from None
    blobs = [(oid, p) for oid, p in _list_blobs(git_dir, history.commit) if _wanted(history, p)]
    if not blobs:
        message = f"no migration files under {history.path!r} at {history.commit[:12]}"
        raise RuntimeError(message)
    contents = _read_blobs(git_dir, [oid for oid, _ in blobs])
    root = dest / history.slug
    if root.exists():
        shutil.rmtree(root)
    written = 0
    for oid, path in blobs:
        if oid not in contents:
            print(f"  ! {history.repo}: {path} is absent from the snapshot", file=sys.stderr)
            continue
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[oid])
        written += 1
    _write_config(history, root)
    return written


def rebuild_with_git(history: History, git_dir: Path, dest: Path) -> int:
    """Clone the snapshot into ``dest/<owner>__<name>/`` checked out at the manifest commit.

    The whole work tree with its history, so the set's ship groups (which files one commit
    added) can be read from git; ``rebuild_one``'s copies have no ``.git``. A local clone
    hard-links the objects, so it costs little beside the snapshot. Returns the number of
    migration files in the checkout.
    """
    try:
        _git(git_dir, "cat-file", "-e", f"{history.commit}^{{commit}}")
    except RuntimeError:
        message = f"commit {history.commit} is not in the snapshot {git_dir}"
        raise RuntimeError(message) from None
    root = dest / history.slug
    if root.exists():
        shutil.rmtree(root)
    for args in (
        ["clone", "--quiet", "--no-checkout", str(git_dir), str(root)],
        ["-C", str(root), "checkout", "--quiet", "--detach", history.commit],
    ):
        done = subprocess.run(["git", *args], capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace").strip())
    _write_config(history, root)
    return sum(1 for _, p in _list_blobs(git_dir, history.commit) if _wanted(history, p))


def runner_options(history: History) -> list[str]:
    """How the history's runner runs its files, and which versions shipped (check, lint)."""
    return [
        "--target",
        history.target,
        "--foreign-keys",
        history.foreign_keys,
        *(f"--placeholder={name}={value}" for name, value in history.placeholders),
        *(["--tx-wrap", "off"] if history.tx_wrap == "off" else []),
        *(["--flyway-mixed", "on"] if history.flyway_mixed == "on" else []),
        *(["--dialect", history.dialect] if history.dialect != "sqlite" else []),
        *(["--ship-groups", history.ship_groups] if history.ship_groups != "git" else []),
        *_rollback_options(history),
        *(
            ["--application-foreign-keys", history.application_foreign_keys]
            if history.application_foreign_keys
            else []
        ),
    ]


def _rollback_options(history: History) -> list[str]:
    """``--production-rollbacks``/``--production-rollbacks-from`` where the manifest says."""
    options = []
    if history.production_rollbacks != "used":
        options += ["--production-rollbacks", history.production_rollbacks]
    if history.production_rollbacks_from:
        options += ["--production-rollbacks-from", history.production_rollbacks_from]
    return options


def _write_config(history: History, root: Path) -> None:
    """The pyproject.toml of a history: the application's SQL functions, hooks, Go stand-ins.

    Functions map to our stand-ins (``corpus_functions.py``, copied beside it); hooks name
    the application's pre-migration code; equivalents map Go migrations to our SQL
    stand-ins (copied under ``corpus_equivalents/``, since the config's paths are relative
    to it). Nothing is written for a history with none, and an unchanged file is left
    alone (``run`` calls this too, so a corpus built before a key was added still gets it).
    """
    text = _config_text(history)
    if not text:
        return
    if history.functions:
        shutil.copyfile(FUNCTIONS, root / FUNCTIONS.name)
    for _, stand_in in history.equivalents:
        copy = root / EQUIVALENTS.name / stand_in
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EQUIVALENTS / stand_in, copy)
    config = root / "pyproject.toml"
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")


def _config_text(history: History) -> str:
    """The pyproject.toml text for ``history`` (empty: it needs none)."""
    lines = []
    if history.functions:
        lines += ["[tool.migration-harness.functions]"]
        lines += [f'{name} = "{FUNCTIONS.stem}:{call}"' for name, call in history.functions]
    if history.pre_migration_hooks:
        lines += ["[tool.migration-harness.pre_migration_hooks]"]
        lines += [f'"{name}" = "{hook}"' for name, hook in history.pre_migration_hooks]
    if history.equivalents:
        lines += ["[tool.migration-harness.equivalents]"]
        lines += [
            f'"{go_file}" = "{EQUIVALENTS.name}/{stand_in}"'
            for go_file, stand_in in history.equivalents
        ]
    return "\n".join(lines) + "\n" if lines else ""


def cmd_rebuild(args: argparse.Namespace) -> int:
    """``rebuild``: copy every history; name the snapshots still to fetch."""
    histories = _selected(load_manifest(args.manifest), args.only)
    dest: Path = args.dest
    dest.mkdir(parents=True, exist_ok=True)
    missing: list[str] = []
    failed = 0
    for h in histories:
        git_dir = find_git_dir(args.mirror, h)
        if git_dir is None:
            missing.append(h.repo)
            continue
        try:
            n = (rebuild_with_git if args.git else rebuild_one)(h, git_dir, dest)
        except RuntimeError as exc:
            print(f"  x {h.repo}: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"  {h.repo:45} {h.runner:15} {n:4} files -> {h.folder(dest)}")
    if missing:
        print("\nFetch these first (the `fetch` tool, source github:<owner>/<name>):")
        for repo in missing:
            print(f"  github:{repo}")
    return 1 if missing or failed else 0


# ---------------------------------------------------------------------------------- run


def _first_line(text: str) -> str:
    """The first non-blank line of ``text``."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _last_line(text: str) -> str:
    """The last non-blank line of ``text`` (where a CLI puts its one-line error)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _finding(raw: dict[str, Any]) -> dict[str, Any]:
    """The fields of one JSON finding the summary keeps."""
    kept: dict[str, Any] = {
        "kind": raw.get("kind"),
        "migration": raw.get("migration"),
        "message": _first_line(str(raw.get("message", ""))),
    }
    for key in ("severity", "code", "direction", "check"):
        if raw.get(key):
            kept[key] = raw[key]
    return kept


def forget_examples(root: Path) -> int:
    """Delete every Hypothesis example database ``check`` kept under ``root``.

    ``check`` stores the failures it found in ``.migration-harness/hypothesis`` beside the
    set and tries them first on the next run. Across two runs of *different* code on the
    same corpus folder that makes the second run replay what the first one found, so a
    before/after comparison would credit (or blame) the code for the other run's luck.
    The version images next to it are keyed by the harness's own fingerprint and stay.
    Returns how many databases were removed.
    """
    removed = 0
    for cache in root.rglob(".migration-harness"):
        examples = cache / "hypothesis"
        if examples.is_dir():
            shutil.rmtree(examples)
            removed += 1
    return removed


def run_one(
    history: History,
    cli: list[str],
    dest: Path,
    timeout: float,
    reports: Path | None = None,
    *,
    keep_examples: bool = False,
) -> Outcome:
    """Run ``check`` on one history and read the findings from its ``--json`` file.

    ``reports``: a folder that keeps the CLI's whole ``--json`` file and its stderr per
    history (``<owner>__<name>.json`` / ``.stderr``), for reading findings in full.
    ``keep_examples``: leave the example databases of earlier runs in place (by default
    each run starts without them, so its findings depend on the code and the seed only).
    """
    folder = history.folder(dest)
    if not folder.exists():
        return Outcome(history, None, 0.0, error=f"{folder}: missing (run `rebuild` first)")
    _write_config(history, dest / history.slug)
    if not keep_examples:
        forget_examples(dest / history.slug)
    with tempfile.TemporaryDirectory(prefix="corpus-run-") as tmp:
        report = Path(tmp) / "check.json"
        command = [
            *cli,
            "check",
            str(folder),
            "--profile",
            "ci",
            "--no-regressions",
            "--json",
            str(report),
            *runner_options(history),
        ]
        started = time.perf_counter()
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            seconds = time.perf_counter() - started
            return Outcome(history, None, seconds, timed_out=True, error=f"timeout {timeout:g}s")
        seconds = time.perf_counter() - started
        outcome = Outcome(history, proc.returncode, seconds)
        if reports is not None:
            reports.mkdir(parents=True, exist_ok=True)
            (reports / f"{history.slug}.stderr").write_bytes(err)
            if report.is_file():
                shutil.copyfile(report, reports / f"{history.slug}.json")
        if report.is_file():
            data = json.loads(report.read_text(encoding="utf-8"))
            outcome.findings = [_finding(f) for f in data.get("findings", [])]
            outcome.stats = data.get("stats", {})
        if proc.returncode not in (0, 1) or not report.is_file():
            text = err.decode(errors="replace") or out.decode(errors="replace")
            outcome.error = _last_line(text)
        return outcome


def _table(outcomes: list[Outcome]) -> str:
    """The per-history table printed after a run."""
    rows = [("history", "runner", "exit", "secs", "n", "by kind", "by severity")]
    for o in outcomes:
        kinds = Counter(f["kind"] for f in o.findings)
        severities = Counter(f["severity"] for f in o.findings if "severity" in f)
        exit_text = "T/O" if o.timed_out else ("-" if o.exit_code is None else str(o.exit_code))
        rows.append(
            (
                o.history.repo,
                o.history.runner,
                exit_text,
                f"{o.seconds:.0f}",
                str(len(o.findings)),
                " ".join(f"{k}={v}" for k, v in sorted(kinds.items())) or o.error[:70],
                " ".join(f"{k}={v}" for k, v in sorted(severities.items())),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def cmd_run(args: argparse.Namespace) -> int:
    """``run``: check every history one at a time, write the summary, print the table."""
    histories = _selected(load_manifest(args.manifest), args.only)
    cli = shlex.split(args.cli)
    outcomes: list[Outcome] = []
    for h in histories:
        print(f"... {h.repo} ({h.runner}, {h.migrations} migrations)", flush=True)
        outcome = run_one(
            h, cli, args.dest, args.timeout, args.reports, keep_examples=args.keep_examples
        )
        outcomes.append(outcome)
        status = "timeout" if outcome.timed_out else f"exit {outcome.exit_code}"
        found = len(outcome.findings)
        print(f"    {status}, {found} finding(s), {outcome.seconds:.0f}s", flush=True)
    total = Counter(f["kind"] for o in outcomes for f in o.findings)
    summary = {
        "cli": args.cli,
        "dest": str(args.dest),
        "profile": "ci",
        "timeout": args.timeout,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "totals": {"findings": sum(total.values()), "by_kind": dict(total)},
        "histories": [o.to_json() for o in outcomes],
    }
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"\nsummary written to {args.out}")
    print()
    print(_table(outcomes))
    print(
        f"\ntotal: {sum(total.values())} finding(s): "
        + ", ".join(f"{k}={v}" for k, v in sorted(total.items()))
    )
    return 0


# --------------------------------------------------------------------------------- main


def _selected(histories: list[History], only: list[str] | None) -> list[History]:
    """The histories named by ``--only`` (all when not given)."""
    if not only:
        return histories
    picked = [h for h in histories if h.repo in only or h.slug in only]
    unknown = set(only) - {h.repo for h in picked} - {h.slug for h in picked}
    if unknown:
        msg = f"not in the manifest: {', '.join(sorted(unknown))}"
        raise SystemExit(msg)
    return picked


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and dispatch to ``rebuild`` or ``run``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help="corpus.toml to read")
    sub = parser.add_subparsers(dest="command", required=True)

    rebuild = sub.add_parser("rebuild", help="copy the histories out of the snapshots")
    run = sub.add_parser("run", help="run the CLI's check on every history")
    for p in (rebuild, run):
        p.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="corpus folder")
        p.add_argument("--only", nargs="+", metavar="REPO", help="owner/name (or owner__name)")
    rebuild.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="snapshot root")
    rebuild.add_argument(
        "--git",
        action="store_true",
        help="clone each history with its git history (checked out at the manifest commit) "
        "instead of copying its files: ship groups are read from git",
    )
    rebuild.set_defaults(func=cmd_rebuild)
    run.add_argument("--cli", default="migration-harness", help="the command to run")
    run.add_argument("--out", type=Path, help="write the JSON summary here")
    run.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per history")
    run.add_argument("--reports", type=Path, help="keep each history's full --json file here")
    run.add_argument(
        "--keep-examples",
        action="store_true",
        help="keep the example databases earlier runs left beside each set (default: forget "
        "them, so two runs of different code are compared on the same footing)",
    )
    run.set_defaults(func=cmd_run)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
