"""The program registry: every regional S&T program selection since 2002, with sources."""
