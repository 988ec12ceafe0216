"""`claimscan run --cache DIR`: unchanged articles are not analysed again, anything that could
change their rows (text, config, overrides, rule files) is a miss, and the output is the same
bytes as without the cache."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import pipeline.api
from pipeline.api import Settings
from pipeline.cache import ResultCache, settings_fingerprint
from pipeline.cli import app
from pipeline.records import claim_rows
from pipeline.runner import run_batch

from conftest import REPO

ARTICLES = ("d01-bp-drug-rct.txt", "d06-lemon-water-benefits.md", "d07-cycling-sick-days.html")
SMALL_SAMPLE = "components.claimscan_generalization.small_sample"


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ARTICLES:
        shutil.copy(REPO / "corpus" / "dev" / name, folder / name)
    return folder


def outputs(out, fmt="csv"):
    names = ("claims", "studies", "articles", "criteria", "errors")
    return {name: (out / f"{name}.{fmt}").read_bytes() for name in names}


def refuse_analysis(*args):
    """Stands in for the pipeline (here and in forked workers) where every article must be a hit."""
    raise AssertionError("analysed although cached")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_second_run_answers_every_article_from_cache_with_identical_output(articles, tmp_path,
                                                                           monkeypatch, fmt):
    cache = tmp_path / "cache"
    plain = run_batch([articles], tmp_path / "plain", fmt=fmt)
    first = run_batch([articles], tmp_path / "first", fmt=fmt, cache_dir=cache)
    assert (first.cached, first.articles, plain.cached) == (0, 3, 0)
    monkeypatch.setattr(pipeline.api, "analyse", refuse_analysis)
    second = run_batch([articles], tmp_path / "second", fmt=fmt, cache_dir=cache)
    assert (second.cached, second.articles, second.skipped) == (3, 3, 0)
    assert (outputs(tmp_path / "plain", fmt) == outputs(tmp_path / "first", fmt)
            == outputs(tmp_path / "second", fmt))


def test_an_edited_article_is_analysed_again(articles, tmp_path):
    cache = tmp_path / "cache"
    run_batch([articles], tmp_path / "o1", cache_dir=cache)
    edited = articles / ARTICLES[0]
    edited.write_text(edited.read_text() + "\nCoffee cures cancer, experts agree.\n")
    summary = run_batch([articles], tmp_path / "o2", cache_dir=cache)
    assert summary.cached == 2
    assert b"Coffee cures cancer, experts agree." in outputs(tmp_path / "o2")["claims"]
    run_batch([articles], tmp_path / "o3")
    assert outputs(tmp_path / "o2") == outputs(tmp_path / "o3")


def test_changed_overrides_miss_and_limits_do_not(articles, tmp_path):
    cache = tmp_path / "cache"
    run_batch([articles], tmp_path / "o1", cache_dir=cache)
    strict = Settings(overrides=((SMALL_SAMPLE, 5000),))
    assert run_batch([articles], tmp_path / "o2", settings=strict, cache_dir=cache).cached == 0
    assert run_batch([articles], tmp_path / "o3", settings=strict, cache_dir=cache).cached == 3
    # decide which articles fail, not their rows
    limits = Settings(max_bytes=1_000_000, time_limit=5.0)
    assert run_batch([articles], tmp_path / "o4", settings=limits, cache_dir=cache).cached == 3
    assert outputs(tmp_path / "o1") == outputs(tmp_path / "o4")


def test_config_and_named_rule_files_are_part_of_the_key(tmp_path):
    """An edited .cfg, or an edited house lexicon the overrides name, gives a new fingerprint."""
    cfg = tmp_path / "house.cfg"
    shutil.copy(REPO / "configs" / "default.cfg", cfg)
    lexicon = tmp_path / "house-cues.json"
    lexicon.write_text('{"hedges": ["arguably"]}')
    overrides = (("components.claimscan_cues.extra_lexicons", (str(lexicon),)),)
    before = settings_fingerprint(str(cfg), overrides)
    assert settings_fingerprint(str(cfg), overrides) == before
    assert settings_fingerprint(str(cfg), ()) != before
    lexicon.write_text('{"hedges": ["arguably", "perhaps"]}')
    assert settings_fingerprint(str(cfg), overrides) != before
    lexicon.write_text('{"hedges": ["arguably"]}')
    cfg.write_text(cfg.read_text().replace("small_sample = 100", "small_sample = 50"))
    assert settings_fingerprint(str(cfg), overrides) != before


def test_same_text_under_a_new_name_hits_and_carries_the_new_name(articles, tmp_path, monkeypatch):
    source = articles / ARTICLES[0]
    cache = ResultCache.open(tmp_path / "cache", Settings())
    key = cache.key(source.read_text(), "text")
    stored = pipeline.api.analyse_file(source, ARTICLES[0], Settings()).analysis
    cache.put(key, stored)
    moved = tmp_path / "moved" / "renamed.txt"
    moved.parent.mkdir()
    shutil.copy(source, moved)
    monkeypatch.setattr(pipeline.api, "analyse", refuse_analysis)
    result = pipeline.api.analyse_file(moved, "moved/renamed.txt", Settings(), cache)
    assert result.cached and result.error is None
    assert result.analysis.article == "moved/renamed.txt"
    assert claim_rows(result.analysis) == [{**row, "article": "moved/renamed.txt",
                                            "claim_id": row["claim_id"].replace(
                                                ARTICLES[0], "moved/renamed.txt")}
                                           for row in claim_rows(stored)]
    assert ([s.sample_size for s in result.analysis.studies]
            == [s.sample_size for s in stored.studies])


def test_a_moved_article_gives_the_rows_of_a_fresh_run(articles, tmp_path):
    cache = tmp_path / "cache"
    run_batch([articles], tmp_path / "o1", cache_dir=cache)
    (articles / "sub").mkdir()
    (articles / ARTICLES[0]).rename(articles / "sub" / "moved.txt")
    summary = run_batch([articles], tmp_path / "o2", cache_dir=cache)
    assert summary.cached == 3
    run_batch([articles], tmp_path / "o3")
    assert outputs(tmp_path / "o2") == outputs(tmp_path / "o3")
    assert b"sub/moved.txt#0" in outputs(tmp_path / "o2")["claims"]


@pytest.mark.parametrize("damage", [b"", b"not zlib at all", b"x\x9c\x03\x00\x00\x00\x00\x01"])
def test_a_corrupt_entry_is_a_miss_and_is_repaired(articles, tmp_path, damage):
    cache = tmp_path / "cache"
    run_batch([articles], tmp_path / "o1", cache_dir=cache)
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert len(entries) == 3
    for entry in entries:
        entry.write_bytes(damage)
    summary = run_batch([articles], tmp_path / "o2", cache_dir=cache)
    assert (summary.cached, summary.skipped) == (0, 0)
    assert outputs(tmp_path / "o1") == outputs(tmp_path / "o2")
    assert run_batch([articles], tmp_path / "o3", cache_dir=cache).cached == 3


def test_an_entry_stored_under_another_key_is_a_miss(articles, tmp_path):
    """A file copied or renamed inside the cache folder never answers for another text."""
    cache = tmp_path / "cache"
    run_batch([articles], tmp_path / "o1", cache_dir=cache)
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    data = [p.read_bytes() for p in entries]
    for entry, other in zip(entries, data[1:] + data[:1]):
        entry.write_bytes(other)
    assert run_batch([articles], tmp_path / "o2", cache_dir=cache).cached == 0
    assert outputs(tmp_path / "o1") == outputs(tmp_path / "o2")


def test_failures_are_not_cached(articles, tmp_path, monkeypatch):
    """An article that failed (here: the pipeline raised) is analysed again on the next run."""
    cache = tmp_path / "cache"
    real = pipeline.api.analyse

    def flaky(article, source, settings):
        if article == ARTICLES[1]:
            raise RuntimeError("out of memory")
        return real(article, source, settings)

    monkeypatch.setattr(pipeline.api, "analyse", flaky)
    first = run_batch([articles], tmp_path / "o1", cache_dir=cache)
    assert (first.skipped, first.articles) == (1, 2)
    monkeypatch.setattr(pipeline.api, "analyse", real)
    second = run_batch([articles], tmp_path / "o2", cache_dir=cache)
    assert (second.skipped, second.cached, second.articles) == (0, 2, 3)


def test_a_file_now_over_the_size_limit_is_skipped_despite_its_entry(articles, tmp_path):
    cache = tmp_path / "cache"
    run_batch([articles], tmp_path / "o1", cache_dir=cache)
    summary = run_batch([articles], tmp_path / "o2", settings=Settings(max_bytes=100),
                        cache_dir=cache)
    assert (summary.skipped, summary.cached) == (3, 0)


def test_worker_processes_share_the_cache(tmp_path, monkeypatch):
    """Two workers write entries concurrently; a second parallel run is answered from them."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):  # more than one chunk, so both workers get files
        (folder / f"a{i:02d}.txt").write_text(
            f"Title {i}\nA study of {i + 10} adults found coffee may lower risk.\n")
    cache = tmp_path / "cache"
    first = run_batch([folder], tmp_path / "o1", jobs=2, cache_dir=cache)
    assert (first.articles, first.cached) == (40, 0)
    monkeypatch.setattr(pipeline.api, "analyse", refuse_analysis)
    second = run_batch([folder], tmp_path / "o2", jobs=2, cache_dir=cache)
    assert (second.articles, second.cached, second.skipped) == (40, 40, 0)
    assert outputs(tmp_path / "o1") == outputs(tmp_path / "o2")


def test_cli_reports_hits_in_the_summary(articles, tmp_path):
    args = ["run", str(articles), "--out", str(tmp_path / "out"), "--cache",
            str(tmp_path / "cache"), "--jobs", "1"]
    CliRunner().invoke(app, args, catch_exceptions=False)
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "3 articles (3 from cache)" in result.stderr


def test_an_unusable_cache_folder_is_a_usage_error(articles, tmp_path):
    (tmp_path / "cache").write_text("a file")
    result = CliRunner().invoke(app, ["run", str(articles), "--out", str(tmp_path / "out"),
                                      "--cache", str(tmp_path / "cache")], catch_exceptions=False)
    assert result.exit_code == 2 and "cannot use cache folder" in result.stderr
    assert not (tmp_path / "out").exists()
