"""The stable data API under /api/v1 (a Flask blueprint; no Dash imports)."""
