"""Helpers shared by the tests (issue 13 item 6): one copy, imported where needed."""
