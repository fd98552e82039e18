"""Participatory budgeting: elections, ballots and the rules that fund projects."""

from dualpower.core.choice.pb.election import Ballots, PBElection, Project, VoteType

__all__ = ["Ballots", "PBElection", "Project", "VoteType"]
