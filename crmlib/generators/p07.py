"""Synthetic datasets of project p07 (filled in by the project work)."""
DATASETS = {}
