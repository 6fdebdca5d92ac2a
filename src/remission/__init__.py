"""Remission: ketamine-therapy clinic software."""
