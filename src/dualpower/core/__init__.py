"""Pure engines: plain Python and numpy, no Django, no I/O beyond file formats.

A test (tests/test_core_is_pure.py) fails if any module here imports Django.
"""
