"""Benchmark of the bw-pulumi providers through the real Pulumi engine (``python -m bench``).

Not part of the test suite: it takes minutes and measures, rather than asserts, how close the
providers come to the floor Bandwidth's documented budgets allow. See ``bench/README.md``.
"""
