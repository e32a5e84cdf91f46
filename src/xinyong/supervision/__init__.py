"""Supervision of providers (COL-3; Art. 13): timely, accurate, complete."""
