"""Pure figure functions: a DataFrame in, a ``go.Figure`` out. No Dash imports."""
