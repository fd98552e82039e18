"""The learn app's pages: library.py (the library of things) and learning.py (offerings)."""
