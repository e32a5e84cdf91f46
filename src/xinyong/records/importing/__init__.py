"""Bulk delivery from CSV/XLSX files (COL-1): streamed, validated and committed per chunk."""
