"""题库: question banks, answer normalisation, practice keys and the practice widget.

One concern per module: ``bank`` (format and loading), ``answers``
(normalising what a student typed), ``keys`` (salted practice hashes),
``practice`` (the widget), ``graded`` (the teacher's graded pool and the
notebook cells generated from it).
"""
