"""The publication store (issue 15): the public channel's own database, fed one way."""
