"""Ballots in, outcomes out: budgeting rules, ranked-choice counts and decision rules."""
