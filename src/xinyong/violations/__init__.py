"""Violation register (Art. 44, 45; GOV-1): what the credit office must see and act on."""
