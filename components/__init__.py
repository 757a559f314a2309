"""Reusable layout pieces (Dash components built from plain data)."""
