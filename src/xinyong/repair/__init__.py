"""Credit repair (Art. 36; RGT-5)."""
