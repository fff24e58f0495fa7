"""Case tables of the frame, programme components and reconciliation checks, each run alone."""
from decimal import Decimal

import pytest

from kehoach.extractors.amounts import extract_amounts
from kehoach.extractors.checks import reconcile
from kehoach.extractors.metadata import title_text
from kehoach.models.records import Paragraph
from kehoach.normalizers import components as comp
from kehoach.normalizers.offsets import NormText
from kehoach.pipeline.frame import find_frame
from conftest import alone, case_params


def one_paragraph_per_line(text: str) -> NormText:
    """The frame's input without the layout stage: each line a paragraph, as the layout gives them."""
    text = text.rstrip("\n")
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        paragraphs.append(Paragraph(pos, pos + len(line)))
        pos += len(line) + 1
    return NormText(text=text, norm_starts=[0], src_starts=[0], page_starts=[0], paged=False, paragraphs=paragraphs)


@pytest.mark.parametrize("case", case_params("frame"))
def test_frame(case):
    nt = one_paragraph_per_line(case["text"])
    frame = find_frame(nt)
    assert frame.doc_type == case["doc_type"]
    title = title_text(nt, frame)
    assert (title[0] if title else None) == case["title"]
    body = nt.paragraphs[frame.body_start]
    assert nt.text[body.start:body.end].startswith(case["body_starts"])


@pytest.mark.parametrize("case", case_params("components"))
def test_components(case):
    context = comp.Component(*case["context"]) if case["context"] else None
    found = comp.last_mention(case["text"], context)
    assert (found.label() if found else None) == case["label"]


@pytest.mark.parametrize("case", case_params("checks"))
def test_checks(case):
    doc = alone(case["text"], kind="budget", heading="KINH PHÍ THỰC HIỆN")
    _, mentions = extract_amounts(doc.nt, doc.sections)
    got = [[c.rule, c.severity, str(c.difference)] for c in reconcile(mentions)]
    assert got == case["checks"]
    for c in reconcile(mentions):
        assert all(doc.nt.text[s[0]:s[1]] for s in c.spans) and c.difference == Decimal(case["checks"][0][2])


def test_the_chain_order_is_checked():
    from kehoach.extractors.context import Component, check_order
    from kehoach.pipeline.extract import CHAIN

    check_order(CHAIN)  # the pipeline's own order is sound
    late = [Component("checks", ("mentions",), ("checks",), lambda d: None),
            Component("amounts", ("nt",), ("amounts", "mentions"), lambda d: None)]
    with pytest.raises(ValueError, match="checks requires mentions"):
        check_order(late)
