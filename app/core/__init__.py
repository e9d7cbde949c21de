"""The pure domain core.

Nothing in this package may import a web framework, a database layer or a plotting library
(tests/unit/test_core_purity.py enforces it): it takes answers and reference data in, and gives
results out, so every rule here is testable without an app.
"""
