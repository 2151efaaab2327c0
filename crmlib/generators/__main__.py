"""``python -m crmlib.generators [pNN ...] [--out DIR]`` (what ``python course.py data`` runs): regenerate datasets/.

Its own entry point: running ``-m crmlib.course.datasets`` made Python warn (in English) that the module was already
imported by the crmlib package before it ran as a script.
"""

from crmlib.course.datasets import main

main()
