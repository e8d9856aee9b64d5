"""Command-line interface (Typer + Rich): thin wrappers over the library."""
