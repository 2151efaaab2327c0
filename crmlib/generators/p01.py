"""Synthetic datasets of project p01 (filled in by the project work)."""
DATASETS = {}
