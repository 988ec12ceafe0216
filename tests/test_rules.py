"""Every flag rule documents itself with sentences that must raise it and sentences that must not;
this runs each of them through the real pipeline. It also keeps the rule registry and
configs/flags.json in step: every rule has a code, every code a rule."""

from __future__ import annotations

import json

import pytest

from pipeline import scan_text
from pipeline.rules import FAMILIES, registry, rules
from tests.conftest import REPO

RULES = sorted(rules().values(), key=lambda r: r.code)


def flags_of(text: str) -> set[str]:
    claims, _ = scan_text(text)
    return {code for cell in claims["flags"] for code in cell.split("; ") if code}


def test_every_rule_has_examples_of_both_kinds():
    for rule in RULES:
        assert rule.should_flag and rule.should_pass, rule.code
        assert rule.why and rule.fix, rule.code


@pytest.mark.parametrize(("code", "text"), [(r.code, t) for r in RULES for t in r.should_flag])
def test_should_flag(code, text):
    assert code in flags_of(text)


@pytest.mark.parametrize(("code", "text"), [(r.code, t) for r in RULES for t in r.should_pass])
def test_should_pass(code, text):
    assert code not in flags_of(text)


def test_registry_and_flags_file_agree():
    """configs/flags.json lists exactly the registered rules, each with a unique id."""
    codes = json.loads((REPO / "configs" / "flags.json").read_text(encoding="utf-8"))["codes"]
    assert set(codes) == set(rules())
    ids = [spec["id"] for spec in codes.values()]
    assert len(set(ids)) == len(ids)
    table = registry()
    for code, info in table.items():
        expected = "CS1" if info.kind == "overclaim" else "CS2"
        assert info.id.startswith(expected), (code, info.id)
        assert info.family in FAMILIES


def test_every_family_module_documents_its_rules():
    for rule in RULES:
        module = __import__(f"pipeline.rules.{rule.family}", fromlist=["x"])
        assert rule.code in (module.__doc__ or ""), (
            f"{rule.code} is not described in pipeline/rules/{rule.family}.py")


def test_every_rule_file_is_read_through_a_schema():
    """Only rulefile.load_rules reads JSON rule data, so every file in configs/ is checked against
    a schema that rejects unknown keys (a typo'd key would otherwise be silently dead)."""
    import re

    pipeline = REPO / "pipeline"
    readers = sorted(str(p.relative_to(pipeline)) for p in pipeline.rglob("*.py")
                     if re.search(r"\bload_json\(", p.read_text(encoding="utf-8")))
    assert readers == ["resources.py", "rulefile.py"], readers


def test_claim_lexicon_rejects_an_unknown_key():
    from pipeline.components.claims import LEXICON_SCHEMA
    from pipeline.rulefile import RuleFileError, check, load_rules

    data = json.loads(json.dumps(load_rules("claims.json", LEXICON_SCHEMA)))
    data["result_cue"] = ["found"]
    with pytest.raises(RuleFileError, match="unknown key 'result_cue'"):
        check(data, LEXICON_SCHEMA, "claims.json")
