"""Credit repair rule data (handling periods, commitment requirements, the standard commitment)."""
