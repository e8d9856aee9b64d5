"""The web workbench (FastAPI + server-rendered Jinja2): ``chiiki.web.app.create_app``.

A thin client like the CLI: every route parses its input, makes one Workbench call and renders
the result in the reader's language; it imports only :mod:`chiiki.workbench`, :mod:`chiiki.i18n`
and its own modules.
"""
