"""One project configuration for every command (issue 13): `run`, `check`, `report`, `evaluate`
and `config` read the same `[tool.claimscan]`, report every unknown key at once, take the TOML
as --config, and say where each value came from. Every command runs for real (CliRunner)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from pipeline.commandline import CommonOptions, load_configuration
from pipeline.config import ConfigError, ProjectConfig, from_table
from pipeline.gate.rules import rules
from tests.check_helpers import invoke, write

REPO = Path(__file__).resolve().parent.parent

# One study of 30 adults: SMALL_SAMPLE is raised once, on the sentence that introduces the study,
# when the threshold is above 30 (the default is 100), and not when it is 30 or below.
WALKING = (
    "Walking and sleep\n\n"
    "A study of 30 adults published in the journal Sleep Medicine found that brisk walking "
    "improved sleep quality over eight weeks.\n\n"
    "The researchers said walking may help people sleep.\n"
)
GOLD = {"walking.txt": {"sentences": [], "studies": []}}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder with one article in articles/, as the current folder."""
    write(tmp_path / "articles" / "walking.txt", WALKING)
    write(tmp_path / "gold.json", json.dumps(GOLD))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def pyproject(folder: Path, table: str) -> Path:
    return write(folder / "pyproject.toml", f'[project]\nname = "newsroom"\n\n{table}')


# -- what each command saw, read from its own output ---------------------------------------------


def run_flags(folder: Path, *args: str) -> list[tuple[str, str]]:
    """`claimscan run`: (flags, severity) of every flagged row of claims.csv."""
    out = folder / "run-out"
    result = invoke("run", "articles", "--out", str(out), "--quiet", *args)
    assert result.exit_code == 0, result.output
    with open(out / "claims.csv", encoding="utf-8") as handle:
        return [(row["flags"], row["severity"]) for row in csv.DictReader(handle) if row["flags"]]


def check_findings(*args: str) -> list[tuple[str, str]]:
    """`claimscan check`: (code, severity) of every CS201 finding."""
    result = invoke("check", "articles", "--select", "CS201", "--format", "json", "--fail-on",
                    "never", *args)
    assert result.exit_code == 0, result.output
    return [(f["code"], f["severity"]) for f in json.loads(result.stdout)["findings"]]


def report_flags(folder: Path, *args: str) -> tuple[int, set[str]]:
    """`claimscan report`: the index's SMALL_SAMPLE total, and the severities of the units."""
    out = folder / "report.html"
    result = invoke("report", "articles", "--out", str(out), "--quiet", *args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    total = re.search(r'<tr data-code="SMALL_SAMPLE">.*?data-col="total" data-sort="(\d+)"', html,
                      re.DOTALL)
    return int(total.group(1)), set(re.findall(r'class="sev sev-(\w+)"', html))


def evaluate_flags(*args: str) -> dict[str, int]:
    """`claimscan evaluate --json`: how often each flag was raised."""
    result = invoke("evaluate", "articles", "--gold", "gold.json", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["flag_counts"]


# -- the reproduced disagreement -------------------------------------------------------------------


@pytest.mark.parametrize(("small_sample", "flagged"), [(20, False), (50, True)])
def test_every_command_applies_the_thresholds_and_severities_of_pyproject(project, small_sample,
                                                                          flagged):
    """small-sample and a severity override in pyproject.toml change run, check, report and
    evaluate the same way: 30 participants are small under 50 and not under 20."""
    pyproject(project, f'[tool.claimscan.thresholds]\nsmall-sample = {small_sample}\n\n'
                       '[tool.claimscan.severity]\nsmall-sample = "warning"\n')
    if flagged:
        assert run_flags(project) == [("SMALL_SAMPLE", "warning")]
        assert check_findings() == [("CS201", "warning")]
        assert report_flags(project) == (1, {"warning"})
        assert evaluate_flags().get("SMALL_SAMPLE") == 1
    else:
        assert run_flags(project) == []
        assert check_findings() == []
        assert report_flags(project) == (0, set())
        assert "SMALL_SAMPLE" not in evaluate_flags()


def test_without_configuration_every_command_uses_the_pipeline_defaults(project):
    """No file: the default threshold (100) and severity (info) everywhere."""
    assert run_flags(project) == [("SMALL_SAMPLE", "info")]
    assert check_findings() == [("CS201", "info")]
    assert report_flags(project) == (1, {"info"})
    assert evaluate_flags().get("SMALL_SAMPLE") == 1


def test_an_explicit_config_file_and_isolated_apply_to_every_command(project):
    """--config names the TOML for run as for check; --isolated ignores the discovered one."""
    write(project / "strict.toml", "[thresholds]\nsmall-sample = 20\n")
    assert run_flags(project, "--config", "strict.toml") == []
    assert check_findings("--config", "strict.toml") == []
    assert report_flags(project, "--config", "strict.toml") == (0, set())
    assert "SMALL_SAMPLE" not in evaluate_flags("--config", "strict.toml")
    pyproject(project, "[tool.claimscan.thresholds]\nsmall-sample = 20\n")
    assert run_flags(project) == []
    assert run_flags(project, "--isolated") == [("SMALL_SAMPLE", "info")]
    assert check_findings("--isolated") == [("CS201", "info")]


def test_run_with_config_pyproject_toml(project):
    """Was: spaCy's "Section 'tool' is not defined"."""
    pyproject(project, "[tool.claimscan.thresholds]\nsmall-sample = 20\n")
    assert run_flags(project, "--config", "pyproject.toml") == []


# -- unknown keys, bad values ----------------------------------------------------------------------

BAD_TABLE = """\
[tool.claimscan]
colour = "red"
format = "json"

[tool.claimscan.thresholds]
small-sample = 20
tiny = 3

[tool.claimscan.lexicons]
house = ["style.json"]
"""


@pytest.mark.parametrize("command", [
    ("run", "articles", "--out", "out"),
    ("check", "articles"),
    ("report", "articles", "--out", "report.html"),
    ("evaluate", "articles", "--gold", "gold.json"),
    ("config",),
])
def test_every_unknown_key_is_reported_at_once_by_every_command(project, command):
    pyproject(project, BAD_TABLE)
    result = invoke(*command)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and all(line.startswith("claimscan: error: ") for line in lines), lines
    where = f"{project / 'pyproject.toml'} [tool.claimscan]: "
    assert f"{where}unknown key 'colour' (expected one of baseline, exclude" in lines[0]
    assert "'format'" in lines[1]
    assert "renamed: use output-format (check) or table-format (run)" in lines[1]
    assert "'thresholds.tiny' (expected one of short-duration-days, small-sample)" in lines[2]
    assert "'lexicons.house' (expected one of cues, journals)" in lines[3]
    assert not (project / "out").exists() and not (project / "report.html").exists()


def test_a_pyproject_table_in_claimscan_toml_says_where_keys_go(project):
    write(project / "claimscan.toml", "[tool.claimscan.thresholds]\nsmall-sample = 20\n")
    result = invoke("run", "articles")
    assert result.exit_code == 2 and "unknown key 'tool'" in result.stderr
    assert "in claimscan.toml the keys are at the top level" in result.stderr


def test_unknown_keys_are_found_before_bad_values():
    table = {"jobs": 0, "thresholds": {"tiny": 1}, "severity": {"CS999": "error"}}
    with pytest.raises(ConfigError) as raised:
        from_table(table, Path("/p/claimscan.toml"), "claimscan.toml")
    assert str(raised.value).splitlines() == [
        "claimscan.toml: unknown key 'thresholds.tiny' (expected one of short-duration-days, "
        "small-sample)",
        "claimscan.toml: severity: unknown code 'CS999' (expected a code such as CS101, a prefix "
        "such as CS1, ALL, a flag name such as VAGUE_ATTRIBUTION or a short name such as "
        "vague-attribution)",
    ]


@pytest.mark.parametrize(("table", "message"), [
    ({"jobs": 0}, "jobs: expected a positive whole number"),
    ({"time-limit": -1}, "time-limit: expected a number of seconds"),
    ({"table-format": "xlsx"}, "table-format: expected one of csv, parquet, jsonl"),
    ({"output-format": "csv"}, "output-format: expected one of text, json, github, sarif, junit"),
    ({"exclude": "out"}, None),  # one glob may be written as a string
    ({"extend-exclude": [3]}, "extend-exclude: expected a list of strings"),
    ({"pipeline-config": "missing.cfg"}, "missing.cfg: no such pipeline config"),
    ({"pipeline-config": "pyproject.toml"}, "is TOML; the pipeline config is a spaCy .cfg"),
])
def test_values_of_the_shared_keys(tmp_path, table, message):
    if message is None:
        assert from_table(table, tmp_path / "claimscan.toml", "x").validate().exclude == ["out"]
        return
    with pytest.raises(ConfigError, match=re.escape(message)):
        from_table(table, tmp_path / "claimscan.toml", "x").validate()


def test_table_format_and_output_format_are_different_keys(project):
    """One file sets the format of run's tables and of check's report without a clash."""
    pyproject(project, '[tool.claimscan]\ntable-format = "jsonl"\noutput-format = "json"\n')
    assert invoke("run", "articles", "--out", "out", "-q").exit_code == 0
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "articles.jsonl", "claims.jsonl", "criteria.jsonl", "errors.jsonl", "studies.jsonl"]
    result = invoke("check", "articles", "--fail-on", "never")
    assert json.loads(result.stdout)["summary"]["articles"] == 1
    # the command line wins over the file
    assert invoke("run", "articles", "--out", "out2", "-q", "--format", "csv").exit_code == 0
    assert (project / "out2" / "claims.csv").is_file()


def test_limits_and_jobs_come_from_the_configuration(project):
    """max-bytes in the file skips the article in run (and check); --max-bytes overrides it."""
    pyproject(project, "[tool.claimscan]\nmax-bytes = 100\njobs = 1\ntime-limit = 30\n")
    result = invoke("run", "articles", "--out", "out")
    assert result.exit_code == 3
    assert "claimscan: skipped walking.txt: file is" in result.stderr
    assert "(--max-bytes)" in result.stderr
    assert invoke("check", "articles").exit_code == 2  # an input error
    assert invoke("run", "articles", "--out", "out", "--max-bytes", "100000", "-q").exit_code == 0


def test_command_line_values_are_checked_like_file_values(project):
    result = invoke("run", "articles", "--jobs", "0")
    assert result.exit_code == 2
    assert result.stderr == "claimscan: error: --jobs: expected a positive whole number, got 0\n"
    result = invoke("check", "articles", "--time-limit", "-1")
    assert result.exit_code == 2 and "--time-limit: expected a number of seconds" in result.stderr


# -- the pipeline config (.cfg) --------------------------------------------------------------


def test_config_option_rejects_a_cfg_and_names_pipeline_config(project):
    write(project / "house.cfg", (REPO / "configs" / "default.cfg").read_text(encoding="utf-8"))
    for command in (("run", "articles"), ("check", "articles"), ("report", "articles"),
                    ("evaluate", "articles", "--gold", "gold.json"), ("config",)):
        result = invoke(*command, "--config", "house.cfg")
        assert result.exit_code == 2
        assert result.stderr == (
            "claimscan: error: house.cfg is a spaCy pipeline config: give it with "
            "--pipeline-config (--config takes a claimscan.toml or a pyproject.toml)\n")


@pytest.mark.parametrize("command", [
    ("run", "articles", "--out", "out"),
    ("check", "articles"),
    ("report", "articles", "--out", "report.html"),
    ("evaluate", "articles", "--gold", "gold.json"),
])
def test_a_typo_in_a_pipeline_cfg_is_one_line_naming_the_key(project, command):
    cfg = (REPO / "configs" / "default.cfg").read_text(encoding="utf-8")
    write(project / "house.cfg", cfg.replace("\nsmall_sample = 100", "\nsmall_sampel = 100"))
    result = invoke(*command, "--pipeline-config", "house.cfg")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "claimscan: error: cannot build the pipeline from house.cfg: unknown key 'small_sampel' in "
        "[components.claimscan_generalization] (expected one of challenges, evidence_links, flags, "
        "negation, severities, short_duration_days, small_sample)\n")
    assert not (project / "out").exists() and not (project / "report.html").exists()


@pytest.mark.parametrize(("edit", "message"), [
    (("\nbatch_size = 64", "\nbatch_sise = 64"),
     "unknown key 'batch_sise' in [nlp] (expected one of after_creation, after_pipeline_creation, "
     "batch_size, before_creation, disabled, lang, pipeline, tokenizer, vectors)"),
    (("[components.claimscan_units]", "[components.claimscan_units"),
     "Source contains parsing errors: "),
    (("\nsmall_sample = 100", '\nsmall_sample = "many"'),
     "[components.claimscan_generalization] small_sample: "),
])
def test_other_pipeline_cfg_mistakes_are_one_line_too(project, edit, message):
    cfg = (REPO / "configs" / "default.cfg").read_text(encoding="utf-8")
    assert edit[0] in cfg
    write(project / "house.cfg", cfg.replace(*edit))
    result = invoke("run", "articles", "--pipeline-config", "house.cfg")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(
        f"claimscan: error: cannot build the pipeline from house.cfg: {message}"), result.stderr


def test_pipeline_config_key_in_the_file(project):
    """`pipeline-config` in the file is relative to the project root, like the other paths."""
    cfg = (REPO / "configs" / "default.cfg").read_text(encoding="utf-8")
    house = cfg.replace("\nsmall_sample = 100", "\nsmall_sample = 20")
    write(project / "style" / "house.cfg", house)
    pyproject(project, '[tool.claimscan]\npipeline-config = "style/house.cfg"\n')
    assert run_flags(project) == []
    assert check_findings() == []


# -- claimscan config: where each value came from -------------------------------------------


def test_config_shows_where_each_value_came_from(project):
    path = pyproject(project, '[tool.claimscan]\njobs = 3\ntable-format = "parquet"\n\n'
                              '[tool.claimscan.thresholds]\nsmall-sample = 20\n\n'
                              '[tool.claimscan.severity]\nCS201 = "warning"\n')
    result = invoke("config", "--max-bytes", "5000", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    origins = data["origins"]
    from_file = f"{path} [tool.claimscan]"
    assert (data["jobs"], origins["jobs"]) == (3, from_file)
    assert (data["table-format"], origins["table-format"]) == ("parquet", from_file)
    assert (data["max-bytes"], origins["max-bytes"]) == (5000, "command line (--max-bytes)")
    assert (data["time-limit"], origins["time-limit"]) == (60.0, "default")
    thresholds = data["thresholds"]
    assert (thresholds["small-sample"], origins["thresholds.small-sample"]) == (20, from_file)
    assert (thresholds["short-duration-days"], origins["thresholds.short-duration-days"]) == (
        182, "default: pipeline config default.cfg")
    assert (data["severity"]["CS201"], origins["severity.CS201"]) == ("warning", from_file)
    assert origins["severity.CS101"] == "default"
    text = invoke("config", "--max-bytes", "5000").stdout
    assert re.search(r"^max-bytes = 5000 +# command line \(--max-bytes\)$", text, re.MULTILINE)
    assert re.search(rf"^jobs = 3 +# {re.escape(from_file)}$", text, re.MULTILINE)
    assert re.search(r'^CS201 = "warning" +# small-sample; ', text, re.MULTILINE)


def test_config_output_is_a_valid_configuration(project):
    pyproject(project, '[tool.claimscan]\nextend-exclude = ["drafts/"]\n')
    printed = invoke("config").stdout
    copy = write(project / "copy" / "claimscan.toml", printed.replace("[tool.claimscan.", "[")
                 .replace("[tool.claimscan]\n", ""))
    again = load_configuration([copy.parent], CommonOptions())
    assert again.extend_exclude == ["drafts/"] and again.small_sample == 100


def test_command_line_origins(project):
    config = load_configuration([project / "articles"], CommonOptions(jobs=2, isolated=True),
                                fail_on=("never", "--fail-on"))
    assert config.origin("jobs") == "command line (--jobs)"
    assert config.origin("fail-on") == "command line (--fail-on)"
    assert config.origin("max-bytes") == "default"
    assert config.effective_jobs() == 2


# -- overrides reach the pipeline the same way -----------------------------------------------------


def test_overrides_use_the_generalization_components_keys(tmp_path):
    write(tmp_path / "journals.txt", "Quarterly Review of Juice Studies\n")
    config = from_table({"thresholds": {"small-sample": 20, "short_duration_days": 30},
                         "severity": {"CS2": "warning"},
                         "lexicons": {"journals": ["journals.txt"]}},
                        tmp_path / "claimscan.toml", "x").validate()
    overrides = config.overrides()
    assert overrides["components.claimscan_generalization.small_sample"] == 20
    assert overrides["components.claimscan_generalization.short_duration_days"] == 30
    for code, rule in rules().items():
        if code.startswith("CS2"):
            key = f"components.claimscan_generalization.severities.{rule.flag}"
            assert overrides[key] == "warning"
    assert overrides["components.claimscan_citations.extra_journals"] == (
        str((tmp_path / "journals.txt").resolve()),)
    settings = config.settings()
    assert dict(settings.overrides) == overrides and settings.config == "default.cfg"


def test_project_config_defaults():
    config = ProjectConfig()
    assert (config.table_format, config.output_format, config.fail_on) == ("csv", "text", "error")
    assert "out" in config.exclude and "node_modules" in config.exclude and config.jobs is None
