"""The seed's import paths (``from src.benchmarking import ModelBenchmark``), kept working.

New code should import from :mod:`modelbench`.
"""
