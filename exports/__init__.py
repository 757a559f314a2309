"""Exports that carry their source: chart images and data, and the board pack (PowerPoint and PDF)."""
