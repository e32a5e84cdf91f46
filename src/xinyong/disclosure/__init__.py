"""Disclosure: which channel is served which record, fields and window (DIS-1…5)."""
