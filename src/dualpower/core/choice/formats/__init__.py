"""File formats for ballots: pabulib `.pb` and `.blt`."""
