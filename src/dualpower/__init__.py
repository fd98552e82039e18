"""dualpower: self-hosted software on which a community runs its own institutions."""

__version__ = "0.1.0"
