"""Benchmarks: throughput, and external accuracy benchmarks over ../shared/data
(see docs/benchmarks.md)."""
