"""The amounts extractor stage by stage: each stage has its own case table
(tests/cases/amount_<stage>.json), its entries drawn from real plans (each names its source), a
prose mention and a table cell alike. A case's text runs through the real front of the chain and
the stages before the one it tests (tests/amount_stages.py); the table lists, for every mention in
text order, its raw text and what the stage decided."""
import pytest

from amount_stages import STAGES, staged
from conftest import case_params, cases


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_stage_table_draws_on_two_real_plans_and_a_table(stage):
    table = cases(f"amount_{stage}")
    assert len({c["source"].split(" (")[0] for c in table}) >= 2
    assert any(c.get("fmt") == "md" for c in table)  # a table cell goes through the stage as prose does


@pytest.mark.parametrize("stage,case", [
    pytest.param(stage, p.values[0], id=f"{stage}-{p.id}")
    for stage in sorted(STAGES) for p in case_params(f"amount_{stage}")])
def test_stage(stage, case):
    assert STAGES[stage](staged(case)) == case["expect"]
