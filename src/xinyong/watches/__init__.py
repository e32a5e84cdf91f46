"""Watching subjects (关注): organisations follow changes of subjects they may see."""
