"""The reviewer's HTML report.

    from pipeline.report.build import build_report, render_html, write_report
    report = write_report(["corpus"], Path("out/report.html"))

`build` turns `pipeline.api.ArticleResult`s into plain view objects (counts, units split into
text segments, studies) and renders them with a Jinja2 template (autoescaped: no HTML is ever
built from strings in Python). Nothing heavy is imported here, so `claimscan --help` stays fast.
"""
