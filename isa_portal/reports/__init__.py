"""Reports at ``/reports/`` (issue 16, item 1; docs/decisions/0057): charts for boards, drawn on
the server as SVG, each with its data table.

They compose several apps, so they live in the project package, and read each app only through
its own selectors: ``selectors`` (the log's counts, aggregated in the database; signatures,
reviews overdue, breach deadlines), ``suppression`` (small numbers), ``charts`` (the bars'
layout), ``dashboard`` (the page's sections), ``permissions`` (who sees which section), then
``forms``, ``views`` and ``urls``.
"""
