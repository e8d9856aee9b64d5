"""Accounts of the web workbench: users with a role, passwords, API tokens, one-time sign-in links.

Functions here take an open SQLAlchemy session and leave the transaction to the caller
(:mod:`chiiki.workbench.accounts_api` opens one per call, under the writer lock for writes).
Only hashes are stored: Argon2id for passwords (:mod:`chiiki.accounts.passwords`), SHA-256 for
the random tokens (:mod:`chiiki.accounts.tokens`). No password or token is ever logged.
"""
