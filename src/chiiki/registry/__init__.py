"""The program registry: every regional S&T program selection since 2002, with sources.

Public surface (what :mod:`chiiki.workbench` and the other packages use; policy-free functions
on a Session):

* :mod:`chiiki.registry.imports` — ``import_file`` (one file, all rows or ``ImportFailed``),
  ``RowError`` (reason a message), ``reason_of``;
* :mod:`chiiki.registry.export` — ``EXPORT_TABLES``, ``export_rows``, ``write_csv``/``json``/``xlsx``;
* :mod:`chiiki.registry.bundled` — ``load_bundled``, ``refresh_derived``;
* :mod:`chiiki.registry.queries` — ``summary``, ``list_adoptions``, ``find_hubs``/``hub_history``
  (dataclasses, no ORM rows), ``timeline``, ``organization_duplicates``, ``explain_rule``;
* :mod:`chiiki.registry.families` — ``family_of``, ``family_label``, ``family_order``;
* :mod:`chiiki.registry.messages` — the ``registry.*`` message codes.
"""
