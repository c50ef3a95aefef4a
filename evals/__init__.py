"""The eval suite: gold annotations of real reports, clean bases and their mutations, a runner that
scores the reviewer per rule and per narrative field, a committed baseline and the CI gate.

Run it with ``python -m evals`` (see ``evals/cli.py``). It imports ``reviewer``; ``reviewer`` never
imports it.
"""
