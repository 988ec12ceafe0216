"""Every command the README shows is run (issue 13): the `claimscan` commands through the real
CLI in a scratch folder with a copy of corpus/ and the CI-gate articles, in README order; the
`make` targets by their recipes; `source .venv/bin/activate`, `.venv/bin/claimscan` and
`make shell` against this checkout's .venv; the Python examples; the benchmark scripts (skipped
when ../shared/data is absent; the throughput benchmark at a small size). Option synopses are
checked against each command's options, and the TOML example against the configuration reader.

Not run: `pip install ...` (it would change the environment) and `make test` (this suite).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline.cli import app
from pipeline.config import from_table
from tests.check_helpers import HEDGED_RCT, VAGUE_ONLY, WELLNESS_BLOG, invoke, write

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
SHARED_DATA = REPO.parent / "shared" / "data"
VENV_BIN = REPO / ".venv" / "bin"
COMMANDS = ("claimscan ", ".venv/bin/claimscan ", "make ", "python ", "source ", "scripts/", "pip ")
# Placeholders of prose commands ("`claimscan run DIR --quiet`") and what the scratch folder has.
PLACEHOLDERS = {"DIR": "articles", "ARTICLES": "articles", "PATH": "articles", "OUT": "out"}
OK_EXIT_CODES = {"run": {0, 3}, "report": {0, 3}, "check": {0, 1}}  # 1: findings; 3: skipped inputs
SMALL_THROUGHPUT = ["--articles", "10"]


# -- what the README shows ------------------------------------------------------------------------


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def _strip_comment(line: str) -> str:
    return re.sub(r"\s+#\s.*$", "", line).strip()


def readme_commands() -> list[str]:
    """Commands in README order: `$ ` lines of console blocks, the lines of plain blocks, and
    inline code that starts like a command (`claimscan `, `make `, `python `, ...)."""
    found: list[tuple[int, str]] = []
    for match in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.MULTILINE | re.DOTALL):
        lang, body = match.group(1), match.group(2)
        for line in body.splitlines():
            # `$ echo $?` shows the exit code of the command before it: not a command of its own
            if lang == "console" and line.startswith("$ ") and not line.startswith("$ echo "):
                found.append((match.start(), _strip_comment(line[2:])))
            elif lang == "" and line.startswith(COMMANDS):
                found.append((match.start(), _strip_comment(line)))
    # inline code outside the fenced blocks (blanked out, so that offsets keep README order)
    prose = re.sub(r"^```.*?^```", lambda m: " " * len(m.group(0)), README,
                   flags=re.MULTILINE | re.DOTALL)
    for match in re.finditer(r"`([^`\n]+)`", prose):
        code = match.group(1)
        if code.startswith(COMMANDS) and not code.startswith("claimscan:"):
            found.append((match.start(), code))
    seen: dict[str, None] = {}
    for _, command in sorted(found):
        if _is_synopsis(command) or command in ("make", "claimscan"):
            continue
        seen.setdefault(command)
    return list(seen)


def _is_synopsis(command: str) -> bool:
    return "[" in command or "|" in command or "..." in command


def synopses() -> list[tuple[str, list[str]]]:
    """(command, options) of every synopsis line: text blocks and inline `claimscan X [...]`."""
    out = []
    for lang, body in fenced_blocks(README):
        if lang != "text":
            continue
        for entry in re.split(r"\n(?=claimscan )", body.strip()):
            command = entry.split()[1]
            out.append((command, re.findall(r"(?<![\w-])--[a-z][a-z-]*", entry)))
    for code in re.findall(r"`(claimscan [a-z]+ [^`]*\[[^`]*)`", README):
        out.append((code.split()[1], re.findall(r"(?<![\w-])--[a-z][a-z-]*", code)))
    return out


def shared_options_table() -> list[tuple[str, list[str]]]:
    """(option, commands) of the README's table of options every command takes."""
    rows = []
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`--"):
            option = re.match(r"`(--[a-z-]+)", cells[0]).group(1)
            commands = ["run", "check", "report", "evaluate", "config"] if cells[4] == "all" else \
                [c.strip() for c in cells[4].split(",")]
            rows.append((option, commands))
    return rows


def _expand(command: str) -> list[str]:
    """Shell words, with `{a,b}` expanded and placeholders replaced."""
    words = []
    for word in shlex.split(command):
        brace = re.fullmatch(r"(.*)\{([^}]*)\}(.*)", word)
        parts = [word]
        if brace:
            parts = [brace.group(1) + alt + brace.group(3) for alt in brace.group(2).split(",")]
        words += [PLACEHOLDERS.get(p, p) for p in parts]
    return words


# -- the scratch folder and the slow commands ------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A newcomer's folder: a copy of corpus/, the CI-gate articles, one Markdown article."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "corpus", root / "corpus", ignore=shutil.ignore_patterns("real"))
    write(root / "articles" / "superfoods.md", WELLNESS_BLOG)
    write(root / "articles" / "green-tea.txt", VAGUE_ONLY)
    write(root / "articles" / "bp-pill-trial.txt", HEDGED_RCT)
    write(root / "a.md", WELLNESS_BLOG)
    return root


def makefile_recipe(target: str) -> list[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)*)", text, re.MULTILINE)
    assert match, f"README names `make {target}`, the Makefile has no such target"
    return [line.strip().lstrip("@") for line in match.group(1).splitlines()]


def external_commands() -> dict[str, list[str]]:
    """README command -> the argv run in a subprocess (the benchmarks)."""
    out: dict[str, list[str]] = {}
    for command in readme_commands():
        words = _expand(command)
        recipe_words = words
        if words[:1] == ["make"] and words[1:2] == ["bench"]:
            recipe = makefile_recipe("bench")[0].replace("$(BIN)/python", "python")
            recipe_words = shlex.split(recipe)
        if recipe_words[:2] == ["python", "benchmarks/throughput.py"]:
            args = recipe_words[2:]
            if "--seed-copies" in args:  # same flags, a small size: the README's sizes take hours
                args[args.index("--seed-copies") + 1] = "10"
            else:  # --articles N... becomes --articles 10
                if "--articles" in args:
                    cut = args.index("--articles")
                    end = cut + 1
                    while end < len(args) and args[end].isdigit():
                        end += 1
                    args = args[:cut] + args[end:]
                args = SMALL_THROUGHPUT + args
            out[command] = [sys.executable, "benchmarks/throughput.py", *args]
        elif recipe_words[:1] == ["python"] and recipe_words[1].startswith("benchmarks/"):
            out[command] = [sys.executable, *recipe_words[1:]]
    return out


def _needs_shared_data(argv: list[str]) -> bool:
    return "throughput.py" not in argv[1]


@pytest.fixture(scope="module")
def launched() -> dict[str, Future]:
    """The benchmark commands, started at once two at a time while the other tests run."""
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {}
    for command, argv in external_commands().items():
        if _needs_shared_data(argv) and not SHARED_DATA.is_dir():
            continue
        futures[command] = pool.submit(subprocess.run, argv, cwd=REPO, capture_output=True,
                                       text=True, timeout=900)
    yield futures
    pool.shutdown(wait=True)


# -- the tests -------------------------------------------------------------------------------


def test_the_readme_shows_the_commands_a_newcomer_needs():
    commands = readme_commands()
    for needed in ("make run", "make test", "source .venv/bin/activate", "claimscan --version",
                   ".venv/bin/claimscan --version", "make shell", "claimscan config"):
        assert needed in commands, needed
    assert any(c.startswith("claimscan run ") for c in commands)
    assert any(c.startswith("claimscan check ") for c in commands)
    assert any(c.startswith("claimscan report ") for c in commands)
    assert any(c.startswith("claimscan evaluate ") for c in commands)


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command(command, workspace, launched, monkeypatch):
    words = _expand(command)
    if words[0] == "pip":
        pytest.skip("install commands change the environment; not run")
    if command in external_commands():
        argv = external_commands()[command]
        if command not in launched:
            pytest.skip(f"needs the external data in {SHARED_DATA}")
        done = launched[command].result()
        output = f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert done.returncode == 0, f"{' '.join(argv[1:])}:\n{output}"
        return
    if words[0] == "make":
        return run_make_target(words[1], workspace, monkeypatch)
    if words[0] == "source" or words[0].startswith(".venv/bin/"):
        return run_in_checkout(command)
    if words[0].startswith("scripts/"):
        return run_script(words)
    assert words[0] == "claimscan", f"no way to run {command!r}"
    run_claimscan(words[1:], workspace, monkeypatch)


def run_claimscan(args: list[str], cwd: Path, monkeypatch) -> None:
    """`claimscan ARGS` through the real CLI (in-process) in `cwd`; a bare command name in prose
    (`claimscan run` takes 2.5 s) is checked by its --help."""
    monkeypatch.chdir(cwd)
    if len(args) == 1 and args[0] in ("run", "report", "evaluate"):
        args = [args[0], "--help"]
    result = invoke(*args)
    command = args[0] if args and not args[0].startswith("-") else ""
    allowed = OK_EXIT_CODES.get(command, {0})
    shown = f"claimscan {' '.join(args)} -> {result.exit_code}:\n{result.output}"
    assert result.exit_code in allowed, shown
    assert "Traceback" not in result.output


def run_make_target(target: str, workspace: Path, monkeypatch) -> None:
    if target == "test":
        pytest.skip("`make test` is this test suite")
    if target in ("dist-check", "lint"):
        pytest.skip(f"`make {target}` is a step of .ci/run itself, run after this suite")
    if target == "shell":
        return run_in_checkout("make shell")
    for line in makefile_recipe(target):
        words = shlex.split(line.replace("$(BIN)/", ""))
        if words[0] == "claimscan":
            run_claimscan(words[1:], workspace, monkeypatch)
        elif words[0].startswith("scripts/"):
            run_script(words)
        else:  # the benchmark recipe is run as an external command
            assert words[:2] == ["python", "benchmarks/throughput.py"], line


def run_script(words: list[str]) -> None:
    """scripts/screenshot_report.sh writes the README's screenshots into docs/: the tests check
    its syntax and that, without Chromium, it says what to install."""
    script = REPO / words[0]
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    env = {**os.environ, "CHROMIUM": "/nonexistent/chromium"}
    done = subprocess.run(["sh", str(script), *words[1:]], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "apt-get install chromium" in done.stderr


def run_in_checkout(command: str) -> None:
    """The commands about the installed claimscan, against this checkout's .venv."""
    in_checkout_venv = Path(sys.prefix).resolve() == (REPO / ".venv").resolve()
    if not (VENV_BIN / "claimscan").is_file() or not in_checkout_venv:
        pytest.skip("the suite is not running from this checkout's .venv (make test does)")
    if command == "make shell":
        if shutil.which("make") is None:
            pytest.skip("make is not installed")
        # -o: use the .venv as it is (the stamp may be older than a pyproject.toml being edited)
        done = subprocess.run(["make", "-s", "-o", ".venv/.installed", "shell"], cwd=REPO,
                              input="claimscan --version\n", capture_output=True, text=True,
                              timeout=60, env={**os.environ, "SHELL": "/bin/sh"})
    else:
        script = command
        if command == "source .venv/bin/activate":
            script = f"{command} && claimscan --version"
        # without .venv/bin on PATH, as in a newcomer's shell
        path = ":".join(p for p in os.environ.get("PATH", "").split(":")
                        if Path(p).resolve() != VENV_BIN.resolve())
        done = subprocess.run(["bash", "-c", script], cwd=REPO, capture_output=True, text=True,
                              timeout=60, env={**os.environ, "PATH": path})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"claimscan {_version()}")


def _version() -> str:
    from pipeline import __version__

    return __version__


def test_readme_console_output_of_version_is_real():
    """`claimscan --version` prints what the README shows after it."""
    shown = re.findall(r"^\$ (?:\.venv/bin/)?claimscan --version\n(.+)$", README, re.MULTILINE)
    assert shown and set(shown) == {f"claimscan {_version()}"}


@pytest.mark.parametrize(("command", "options"), synopses())
def test_synopsis_options_exist(command, options):
    """Every option a synopsis lists is an option of that command."""
    known = _options_of(command)
    assert set(options) <= known, set(options) - known


@pytest.mark.parametrize(("option", "commands"), shared_options_table())
def test_shared_options_table(option, commands):
    for command in commands:
        assert option in _options_of(command), (option, command)


def _options_of(command: str) -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    params = group.commands[command].params
    names = [opt for p in params for opt in (*p.opts, *getattr(p, "secondary_opts", ()))]
    return {name for name in names if name.startswith("--")}


def test_python_examples_run(workspace, monkeypatch):
    """The README's Python blocks, in a folder with `articles/` and `a.md`."""
    monkeypatch.chdir(workspace)
    blocks = [body for lang, body in fenced_blocks(README) if lang == "python"]
    assert blocks
    for body in blocks:
        exec(compile(body, "README.md", "exec"), {})


def test_toml_examples_are_valid_configurations(tmp_path):
    """Each TOML example of the README (and of docs/check.md) is a configuration claimscan
    accepts, with the files it names present."""
    texts = [body for lang, body in fenced_blocks(README) if lang == "toml"]
    check_doc = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    texts += [body for lang, body in fenced_blocks(check_doc) if lang == "toml"]
    assert texts
    write(tmp_path / "style" / "house-cues.json", '{"boosters": ["game-changing"]}')
    write(tmp_path / "style" / "journals.txt", "Quarterly Review of Juice Studies\n")
    for text in texts:
        table = tomllib.loads(text)["tool"]["claimscan"]
        from_table(table, tmp_path / "pyproject.toml", "README").validate()
