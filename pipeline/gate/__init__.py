"""`claimscan check`: the CI gate. Claim rows in, linter findings out.

    rules.py      the finding codes: CS1xx/CS2xx from configs/flags.json, CS0xx for suppressions
    findings.py   claim rows -> findings (code, severity, message, line, column, fingerprint)
    suppress.py   inline `<!-- claimscan: ignore ... -->` comments and the baseline file
    formats.py    one function per output format: text, json, github, sarif, junit
    command.py    the typer `check` command

The configuration it reads (select, ignore, per-file-ignores, fail-on, output-format, baseline,
and the settings every command shares) is the project's: pipeline/config.py.

Only the standard library is imported at module level (and only by the modules `command.py`
imports lazily), so `claimscan --help` stays fast.
"""
