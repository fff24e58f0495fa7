"""A stored document back as a record, for the review page of what a store holds.

The store keeps each document's normalised text and its items with their spans, so a record
read back shows on the page exactly as the extraction that loaded it.
"""
from __future__ import annotations

from sqlalchemy import select

from kehoach.models import tables as t
from kehoach.models.records import (Amount, Assignment, Check, LegalRef, Metadata, PartialDate, Period, Record,
                                    Section, Signer, Source, Target)


def stored_shas(engine) -> list[str]:  # noqa: ANN001
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(t.Document.sha256).order_by(t.Document.id))]


def read_record(engine, sha256: str) -> Record:  # noqa: ANN001
    """The record of the stored document whose bytes have this sha256 (a unique prefix will do)."""
    with engine.connect() as conn:
        docs = conn.execute(select(t.Document).where(t.Document.sha256.like(f"{sha256}%"))).mappings().all()
        if len(docs) != 1:
            raise LookupError(f"{'no' if not docs else len(docs)} stored documents with sha256 {sha256}…")
        d = docs[0]
        did = d["id"]

        def rows(model):  # noqa: ANN001, ANN202
            return conn.execute(select(model).where(model.document_id == did).order_by(model.id)).mappings().all()
        secs = rows(t.SectionRow)
        sid = {s["id"]: s["sid"] for s in secs}
        sections = [Section(id=s["sid"], parent=sid.get(s["parent_id"]), level=s["level"], label=s["label"],
                            heading=s["heading"], kind=s["kind"], span=(s["span_start"], s["span_end"]),
                            pages=[p for p in (s["page_first"], s["page_last"]) if p]) for s in secs]
        amounts = [Amount(value_million_vnd=a["value_million_vnd"], raw=a["raw"], kind=a["kind"], component=a["component"],
                          funding_source=a["funding_source"], capital_type=a["capital_type"], location=a["location"],
                          per=a["per"], bound=a["bound"], year=a["year"], table_row=a["table_row"],
                          table_column=a["table_column"], section=sid.get(a["section_id"]),
                          span=(a["span_start"], a["span_end"]), page=a["page"]) for a in rows(t.AmountRow)]
        targets = [Target(indicator=x["indicator"], location=x["location"],
                          baseline=float(x["baseline"]) if x["baseline"] is not None else None,
                          target=float(x["target"]) if x["target"] is not None else None,
                          target_max=float(x["target_max"]) if x["target_max"] is not None else None,
                          unit=x["unit"], year=x["year"], direction=x["direction"], comparator=x["comparator"],
                          raw=x["raw"], section=sid.get(x["section_id"]), span=(x["span_start"], x["span_end"]),
                          page=x["page"], indicator_key=x["indicator_key"]) for x in rows(t.TargetRow)]
        links = conn.execute(select(t.AssignmentAgency.assignment_id, t.AssignmentAgency.role, t.Agency.name)
                             .join(t.Agency, t.Agency.id == t.AssignmentAgency.agency_id)
                             .order_by(t.AssignmentAgency.position)).all()
        parties: dict[int, dict] = {}
        for aid, role, name in links:
            parties.setdefault(aid, {"lead": None, "coordinating": []})
            if role == "lead":
                parties[aid]["lead"] = name
            else:
                parties[aid]["coordinating"].append(name)
        assignments = [Assignment(component=a["component"], task=a["task"], deadline=a["deadline"],
                                  deadline_normalized=a["deadline_normalized"], output=a["output"],
                                  section=sid.get(a["section_id"]), span=(a["span_start"], a["span_end"]), page=a["page"],
                                  **parties.get(a["id"], {})) for a in rows(t.AssignmentRow)]
        cited = {c["id"]: c for c in conn.execute(select(t.CitedDocument)).mappings()}
        refs = [LegalRef(type=cited[r["cited_document_id"]]["doc_type"], number=r["number_as_written"],
                         date=r["date"].isoformat() if r["date"] else None, issuer=r["issuer"], role=r["role"],
                         raw=r["raw"], span=(r["span_start"], r["span_end"]), page=r["page"],
                         section=sid.get(r["section_id"]), mentions=r["mentions"]) for r in rows(t.LegalReference)]
        checks = [Check(rule=c["rule"], severity=c["severity"], message=c["message"],
                        spans=[tuple(s) for s in (c["spans"] or [])], total=c["total"], parts_sum=c["parts_sum"],
                        difference=c["difference"]) for c in rows(t.CheckRow)]
    meta = Metadata(doc_type=d["doc_type"], title=d["title"], issuer=d["issuer"], admin_level=d["admin_level"],
                    province=d["province"], district=d["district"], doc_number=d["doc_number"], place=d["place"],
                    issue_date=PartialDate(year=d["issue_year"], month=d["issue_month"], day=d["issue_day"])
                    if d["issue_year"] else None,
                    period=Period(start=d["period_start"], end=d["period_end"]) if d["period_end"] else None,
                    signer=Signer(name=d["signer_name"], title=d["signer_title"]) if d["signer_name"] or d["signer_title"] else None)
    return Record(source=Source(path=d["path"], sha256=d["sha256"], format=d["format"], pages=d["pages"], ocr=d["ocr"],
                                size_bytes=d["size_bytes"]), metadata=meta, sections=sections, amounts=amounts,
                  targets=targets, assignments=assignments, legal_refs=refs, checks=checks,
                  warnings=list(d["warnings"] or []), pipeline_version=d["pipeline_version"], text=d["text"])
