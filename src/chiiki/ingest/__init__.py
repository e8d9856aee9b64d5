"""Readers, Japanese normalization and validation for files people actually have."""
