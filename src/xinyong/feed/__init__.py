"""Interconnection (COL-4; Art. 6): the ordered change feed, webhooks and exports."""
