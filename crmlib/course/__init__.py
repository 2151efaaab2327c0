"""The course machinery: errors, hints, checks, charts, fonts, datasets, manifest, facts, paths and storage."""
