"""`claimscan check`: the CI gate. Claim rows in, linter findings out.

    settings.py   configuration discovery (`claimscan.toml`, `[tool.claimscan]`) and merging
    rules.py      the finding codes: CS1xx/CS2xx from configs/flags.json, CS0xx for suppressions
    findings.py   claim rows -> findings (code, severity, message, line, column, fingerprint)
    suppress.py   inline `<!-- claimscan: ignore ... -->` comments and the baseline file
    formats.py    one function per output format: text, json, github, sarif, junit
    command.py    the typer `check` and `config` commands

Only the standard library is imported at module level (and only by the modules `command.py`
imports lazily), so `claimscan --help` stays fast.
"""
