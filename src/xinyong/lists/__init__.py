"""Serious dishonesty list procedure and red list (Art. 22, 25–27, 29, 36; LST-1…4, MEA-4)."""
