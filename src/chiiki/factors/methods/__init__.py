"""Statistical methods: each returns a result object with ``.summary``, ``.warnings``, ``.n``.

Submodules are imported directly (``from chiiki.factors.methods.fisher import fisher_test``);
this package file stays empty so that importing one method does not load all of scipy,
statsmodels, lifelines and firthmodels.
"""
