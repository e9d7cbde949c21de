"""Loads the files of reference_data/ into the core's typed models (the only I/O they need)."""
