import cProfile, pstats, random
import pytest

@pytest.mark.django_db
def test_prof() -> None:
    from dualpower.ops import demo_people
    from dualpower.budgeting.demo import load_budgets
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    print("members", len(demo.members))
    pr = cProfile.Profile(); pr.enable(); load_budgets(demo); pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
