"""Build the sdist and wheel, check them, and prove the wheel installs into a clean venv and runs.

    python scripts/check_dist.py [--dist DIR] [--keep]      (make dist-check; run by .ci/run)

1. build    `python -m build`: the sdist, then the wheel built from the sdist (so a file missing
            from the sdist also breaks the wheel).
2. twine    `twine check --strict` on both.
3. contents every file under configs/ (rules/*.json, *.txt, default.cfg...) is in the wheel as
            pipeline/configs/<path> and in the sdist; every file of pipeline/ is in the wheel.
4. install  a clean venv (no system site packages, nothing from the checkout) and
            `pip install WHEEL` *with* its dependencies, so a dependency missing from
            pyproject.toml fails here. The dependencies are not downloaded again: they are
            constrained to the versions the test venv has (`pip freeze`), which pip takes from
            its cache or the configured index it installed them from for `make test`. (The
            alternative, `--no-deps` into a venv that sees the test venv's packages, would be
            faster but would hide a missing dependency behind the test extra.) ~25 s here.
5. run      from a temp folder, with the venv's console script: the package reads its own
            pipeline/configs, not the checkout's; `claimscan run` on tiny invented articles
            (.txt, .md, .html and an empty file) exits 3 and writes exactly what the checkout's
            `claimscan run` writes; `claimscan report` and `claimscan check --format sarif`
            behave as the checkout's do. A command that fails the same way in the checkout is a
            bug in the source, not in the packaging: it is reported as SKIPPED with its error.

Exit 0 when every step passed or was skipped, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TAG = "dist-check"

ARTICLES = {
    "coffee.txt": (
        "Coffee and the heart\n\n"
        "A study published in The Lancet followed 2,000 adults for 5 years.\n\n"
        "Studies show that coffee cures heart disease, and everyone should drink it.\n\n"
        "The researchers said more research is needed.\n"
    ),
    "turmeric.md": (
        "# Turmeric and joints\n\n"
        "A small pilot study of 30 participants found that turmeric may ease joint pain.\n\n"
        "Experts agree that turmeric is a proven cure for arthritis.\n"
    ),
    "sleep.html": (
        "<html><head><title>Sleep</title></head><body><article>"
        "<h1>Sleep and memory</h1>"
        "<p>A randomised controlled trial of 120 adults, published in Sleep, lasted 12 weeks.</p>"
        "<p>Sleeping longer significantly improves memory in everyone.</p>"
        "</article></body></html>\n"
    ),
    "empty.txt": "",
}


class Failed(Exception):
    """A step failed."""


class Skipped(Exception):
    """A step could not be judged: the checkout fails the same way (not a packaging problem)."""


def log(message: str) -> None:
    print(f"{TAG}: {message}", flush=True)


def run(cmd: list[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise Failed(f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
                     f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result


def files_under(folder: Path) -> list[str]:
    """Files below `folder`, relative to it, without caches."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


# --- steps ---------------------------------------------------------------------------------


def build(dist: Path) -> tuple[Path, Path]:
    run([sys.executable, "-m", "build", "--outdir", dist, REPO])
    (wheel,) = dist.glob("claimscan-*.whl")
    (sdist,) = dist.glob("claimscan-*.tar.gz")
    return wheel, sdist


def twine(wheel: Path, sdist: Path) -> None:
    run([sys.executable, "-m", "twine", "check", "--strict", wheel, sdist])


def contents(wheel: Path, sdist: Path) -> str:
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    with tarfile.open(sdist) as archive:
        # claimscan-0.1.0/configs/rules/design.json -> configs/rules/design.json
        in_sdist = {name.partition("/")[2] for name in archive.getnames()}
    configs = files_under(REPO / "configs")
    package = files_under(REPO / "pipeline")
    missing = [f"wheel: pipeline/configs/{f}" for f in configs
               if f"pipeline/configs/{f}" not in in_wheel]
    missing += [f"sdist: configs/{f}" for f in configs if f"configs/{f}" not in in_sdist]
    missing += [f"wheel: pipeline/{f}" for f in package if f"pipeline/{f}" not in in_wheel]
    if missing:
        raise Failed("missing from the distributions:\n  " + "\n  ".join(missing))
    rules = [f for f in configs if f.startswith("rules/")]
    texts = [f for f in configs if f.endswith(".txt")]
    return (f"{len(configs)} config files ({len(rules)} under rules/, {len(texts)} .txt) and "
            f"{len(package)} package files in the wheel")


def install(wheel: Path, venv: Path, work: Path) -> None:
    run([sys.executable, "-m", "venv", venv])
    frozen = run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"]).stdout
    constraints = work / "constraints.txt"
    constraints.write_text("".join(line + "\n" for line in frozen.splitlines()
                                   if not line.lower().startswith("claimscan")), encoding="utf-8")
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", constraints, wheel], env=clean_env())


def clean_env() -> dict[str, str]:
    """The environment without anything that would let the checkout leak into the venv."""
    leaks = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items() if k not in leaks}
    env["NO_COLOR"] = "1"
    return env


def uses_its_own_configs(venv: Path, work: Path) -> str:
    probe = ("import pipeline, pipeline.resources as r; "
             "print(pipeline.__file__); print(r.configs_dir())")
    out = run([venv / "bin" / "python", "-c", probe], cwd=work, env=clean_env()).stdout.split()
    site = (venv / "lib").resolve()
    if not all(Path(p).resolve().is_relative_to(site) for p in out):
        raise Failed(f"the venv imports from outside itself: {out}")
    return f"configs from {out[1]}"


class Commands:
    """The same claimscan command from the wheel's venv and from the checkout, in fresh folders
    holding the same articles."""

    def __init__(self, venv: Path, work: Path) -> None:
        self.venv, self.work = venv, work
        self.checkout_env = clean_env() | {"PYTHONPATH": str(REPO)}

    def folder(self, name: str) -> Path:
        folder = self.work / name
        articles = folder / "articles"
        articles.mkdir(parents=True)
        for file_name, text in ARTICLES.items():
            (articles / file_name).write_text(text, encoding="utf-8")
        return folder

    def both(self, name: str, args: list[str]) -> tuple[subprocess.CompletedProcess, Path,
                                                         subprocess.CompletedProcess, Path]:
        wheel_dir, checkout_dir = self.folder(f"{name}-wheel"), self.folder(f"{name}-checkout")
        wheel = run([self.venv / "bin" / "claimscan", *args], cwd=wheel_dir, env=clean_env(),
                    check=False)
        checkout = run([sys.executable, "-m", "pipeline", *args], cwd=checkout_dir,
                       env=self.checkout_env, check=False)
        return wheel, wheel_dir, checkout, checkout_dir


def judge(what: str, wheel: subprocess.CompletedProcess, ok: tuple[int, ...],
          checkout: subprocess.CompletedProcess) -> None:
    """Fail unless the wheel's command exited with one of `ok`; skip when the checkout's command
    fails the same way (same exit code, same last line on stderr). A traceback is never ok (an
    uncaught exception exits 1, like a check with findings)."""
    if wheel.returncode in ok and "Traceback" not in wheel.stderr:
        return
    last = (wheel.stderr.strip().splitlines() or [""])[-1]
    checkout_last = (checkout.stderr.strip().splitlines() or [""])[-1]
    if checkout.returncode == wheel.returncode and checkout_last == last:
        raise Skipped(f"{what} exits {wheel.returncode} in the checkout too: {last}")
    raise Failed(f"{what} exited {wheel.returncode} (checkout: {checkout.returncode})\n"
                 f"{wheel.stdout[-2000:]}{wheel.stderr[-3000:]}")


def same_files(names: list[str], wheel_dir: Path, checkout_dir: Path) -> None:
    """The files are identical, but for the folder they were written in (SARIF's %SRCROOT%)."""
    for name in names:
        got, want = wheel_dir / name, checkout_dir / name
        if not got.is_file():
            raise Failed(f"{name} was not written")
        mine = got.read_text(encoding="utf-8").replace(wheel_dir.as_uri(), "file:///ROOT")
        theirs = want.read_text(encoding="utf-8").replace(checkout_dir.as_uri(), "file:///ROOT")
        if mine != theirs:
            raise Failed(f"{name} differs from the checkout's")


def run_command(commands: Commands) -> str:
    args = ["run", "articles", "--out", "out", "--jobs", "1", "--quiet"]
    wheel, wheel_dir, checkout, checkout_dir = commands.both("run", args)
    judge("claimscan run", wheel, (3,), checkout)  # 3: the empty file is skipped
    tables = ["out/claims.csv", "out/studies.csv", "out/errors.csv"]
    same_files(tables, wheel_dir, checkout_dir)
    rows = (wheel_dir / "out" / "claims.csv").read_text(encoding="utf-8").count("\n") - 1
    if rows < 5:
        raise Failed(f"claims.csv has {rows} rows")
    return f"exit 3, {rows} claim rows, tables identical to the checkout's"


def report_command(commands: Commands) -> str:
    args = ["report", "articles", "--out", "r.html"]
    wheel, wheel_dir, checkout, _ = commands.both("report", args)
    judge("claimscan report", wheel, (3,), checkout)  # 3: the empty file is skipped
    if "<html" not in (wheel_dir / "r.html").read_text(encoding="utf-8").lower():
        raise Failed("r.html is not an HTML report")
    return "exit 3, r.html written"


def check_command(commands: Commands) -> str:
    args = ["check", "articles", "--format", "sarif", "--output-file", "claimscan.sarif",
            "--fail-on", "error", "--jobs", "1"]
    wheel, wheel_dir, checkout, checkout_dir = commands.both("check", args)
    judge("claimscan check", wheel, (0, 1, 2), checkout)  # 2: the empty file is an input error
    if wheel.returncode != checkout.returncode:
        raise Failed(f"claimscan check exited {wheel.returncode}, "
                     f"the checkout {checkout.returncode}")
    sarif = json.loads((wheel_dir / "claimscan.sarif").read_text(encoding="utf-8"))
    if sarif.get("version") != "2.1.0" or not sarif.get("runs"):
        raise Failed("claimscan.sarif is not SARIF 2.1.0")
    same_files(["claimscan.sarif"], wheel_dir, checkout_dir)
    return f"exit {wheel.returncode}, {len(sarif['runs'][0].get('results', []))} SARIF results"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--dist", type=Path, help="keep the built distributions here")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (venv, runs)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="claimscan-dist-check-"))
    dist = args.dist or work / "dist"
    venv = work / "venv"
    state: dict[str, Path] = {}
    commands = Commands(venv, work)

    def do_build() -> str:
        if dist.exists():
            shutil.rmtree(dist)
        state["wheel"], state["sdist"] = build(dist)
        return f"{state['wheel'].name}, {state['sdist'].name}"

    steps = [
        ("build", do_build),
        ("twine check", lambda: twine(state["wheel"], state["sdist"]) or "passed"),
        ("contents", lambda: contents(state["wheel"], state["sdist"])),
        ("install into a clean venv", lambda: install(state["wheel"], venv, work) or str(venv)),
        ("installed package", lambda: uses_its_own_configs(venv, work)),
        ("claimscan run", lambda: run_command(commands)),
        ("claimscan report", lambda: report_command(commands)),
        ("claimscan check --format sarif", lambda: check_command(commands)),
    ]
    failed = skipped = 0
    try:
        for name, step in steps:
            start = time.perf_counter()
            try:
                detail = step()
                outcome = "ok"
            except Skipped as exc:
                detail, outcome = str(exc), "SKIPPED"
                skipped += 1
            except Failed as exc:
                detail, outcome = str(exc), "FAILED"
                failed += 1
            log(f"{name}: {outcome} ({time.perf_counter() - start:.1f} s) {detail}")
            if outcome == "FAILED" and name in ("build", "install into a clean venv"):
                break  # nothing after it can run
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log(f"{'FAILED' if failed else 'passed'}: {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
