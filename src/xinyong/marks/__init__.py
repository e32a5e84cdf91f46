"""Marks that other contexts put on records, read by disclosure (Art. 32, 35, 36; DIS-4, DIS-5)."""
