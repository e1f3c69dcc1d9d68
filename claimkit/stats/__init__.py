"""claimkit stats (issue 19): what the team's complaints say, in figures.

- ``report``: the period, the figures from the case log (claimkit.cases.figures)
  as typed records.
- ``forms``: the report as JSON and CSV, for scripts and spreadsheets.
- ``text``: the labels in Japanese and English, the report as tables, and those
  tables as plain aligned text (East Asian widths counted).
- ``html``, ``svg``: the report as one self-contained page with inline SVG charts.

Nothing here imports typer or rich or prints; the terminal view is claimkit.cli's.
"""
