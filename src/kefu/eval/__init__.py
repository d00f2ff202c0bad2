"""Benchmark runners behind ``kefu eval …``."""
