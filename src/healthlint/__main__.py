"""`python -m healthlint`: the same command line as the console script."""
from .cli import run

run()
