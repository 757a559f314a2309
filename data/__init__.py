"""Data files and their loaders. No Dash imports here: this layer is plain pandas."""
