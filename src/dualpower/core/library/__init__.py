"""The library of things' queue: who a returned thing waits for, and when a loan is due.

Pure (no Django): holds come in as plain values, decisions go out as plain values.
"""
