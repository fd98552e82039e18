"""Every write about participatory budgeting, one module per noun; this package re-exports their
verbs so callers have one place to look (``from dualpower.budgeting import services``).

- _common.py: the checks every service shares (text, choices, whole numbers, money, the phase);
- cycles.py: setting up a cycle and moving it through its phases (the clock job calls these too);
- proposals.py: ideas, costed proposals and the feasibility review;
- ballots.py: ballots cast online, and the checks every ballot goes through;
- paper_ballots.py: one-time voting codes at the booth and paper ballots entered by tellers;
- counts.py: the count (stored ballots → a pabulib file → the engine's result);
- imports.py: a pabulib file imported as a closed cycle;
- implementation.py: funded projects' progress and the assembly's adoption of a result.

Modules inside this package import each other directly, never from here.
"""

from dualpower.budgeting.services.ballots import (
    Choice,
    Tally,
    area_budget,
    ballot_check,
    ballot_proposals,
    ballot_submit,
    ballot_withdraw,
    cost_cap,
    home_district,
    may_vote_in,
)
from dualpower.budgeting.services.counts import (
    Area,
    areas,
    count_unit,
    cycle_count,
    election_text,
    file_name,
    run_rule,
    tally_command,
)
from dualpower.budgeting.services.cycles import (
    category_add,
    cycle_advance,
    cycle_create,
    cycles_advance_due,
    cycles_due,
    district_add,
)
from dualpower.budgeting.services.implementation import (
    progress_update_add,
    project_group_set,
    project_spending_set,
    project_status_set,
    result_adopt,
)
from dualpower.budgeting.services.imports import cycle_import, read_upload
from dualpower.budgeting.services.paper_ballots import (
    booth_vote,
    code_hash,
    paper_ballots_enter,
    paper_batch_confirm,
    paper_batch_discard,
    paper_csv_import,
    paper_csv_parse,
    parse_choices,
    voting_codes_issue,
)
from dualpower.budgeting.services.proposals import (
    feasibility_decide,
    idea_merge,
    idea_submit,
    proposal_create,
    proposal_update,
)

__all__ = [
    "Area",
    "Choice",
    "Tally",
    "area_budget",
    "areas",
    "ballot_check",
    "ballot_proposals",
    "ballot_submit",
    "ballot_withdraw",
    "booth_vote",
    "category_add",
    "code_hash",
    "cost_cap",
    "count_unit",
    "cycle_advance",
    "cycle_count",
    "cycle_create",
    "cycle_import",
    "cycles_advance_due",
    "cycles_due",
    "district_add",
    "election_text",
    "feasibility_decide",
    "file_name",
    "home_district",
    "idea_merge",
    "idea_submit",
    "may_vote_in",
    "paper_ballots_enter",
    "paper_batch_confirm",
    "paper_batch_discard",
    "paper_csv_import",
    "paper_csv_parse",
    "parse_choices",
    "progress_update_add",
    "project_group_set",
    "project_spending_set",
    "project_status_set",
    "proposal_create",
    "proposal_update",
    "read_upload",
    "result_adopt",
    "run_rule",
    "tally_command",
    "voting_codes_issue",
]
