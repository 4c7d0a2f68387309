"""Readers for the training sets in the data folder (``Settings.data_dir``), one per source."""
