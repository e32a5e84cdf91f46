"""Collection of credit records: delivery, bulk import, corrections (COL-1, COL-2, COL-5)."""
