"""Public pages (no login): the deadline calculator; later the catalogue and online applications."""
