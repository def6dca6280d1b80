"""Run healthlint as if some optional modules were not installed, as after
a plain `pip install .` where google-re2 has no wheel:

    python bench/without.py re2 check FOLDER
    python bench/without.py re2,ahocorasick check -j 1 FOLDER

The findings are the same; only the speed differs. Workers are forked on
Linux, so they inherit the block.
"""
import sys

for module in sys.argv[1].split(","):
    sys.modules[module] = None  # an import of it now raises ImportError
sys.argv = ["healthlint", *sys.argv[2:]]

from healthlint.cli import run  # noqa: E402 - after the block, on purpose

run()
