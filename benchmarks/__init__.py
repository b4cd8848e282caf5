"""Benchmark scripts and the headless-browser harness they share with tests/browser."""
