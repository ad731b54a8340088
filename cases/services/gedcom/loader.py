"""Map GEDCOM records onto a tree's rows in batches: bulk inserts now, cross-record links at the end.

Links between records (partners, children, shared notes, sources, media) are collected as small
tuples of xrefs while the records stream past and resolved once every record has a primary key, so
memory holds the rows' keys, not the file. The caller runs this inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import cases.services.gedcom.serial as serial
from cases.genealogy.gedcom import (
    ChildLink as GedcomChildLink,
    Event as GedcomEvent,
    Family as GedcomFamily,
    GedcomDocument,
    GedcomIssue,
    GedcomNode,
    GedcomStructureError,
    Individual,
    MediaObject,
    Note as GedcomNote,
    Source as GedcomSource,
    check_no_own_ancestor,
)
from cases.imaging import ImageRejected
from cases.models import (
    ChildLink,
    Citation,
    Event,
    Family,
    GedcomRecord,
    Note,
    Person,
    PersonName,
    Photo,
    Source,
    Tree,
)
from cases.models.records import FamilyType, NameType, Pedigree, Sex
from cases.services.gedcom.bulk import rows_insert
from cases.services.gedcom.counts import RecordCounter
from cases.services.gedcom.dates import date_issue
from cases.services.gedcom.inputs import MediaSource
from cases.services.gedcom.media import media_plan
from cases.services.gedcom.xrefs import rename_pointers, xref_prefix

BATCH_SIZE = 2000
SEXES = frozenset(Sex.values)
MAX_XREF = 40
SYNTHETIC_TAG = "_SYNTHETIC"
PEDIGREE_MAP = {
    "birth": Pedigree.BIRTH,
    "adopted": Pedigree.ADOPTED,
    "foster": Pedigree.FOSTER,
    "step": Pedigree.STEP,
    "unknown": Pedigree.BIRTH,
    "sealing": Pedigree.UNKNOWN,
}
"""No PEDI means birth to most programs (and to generation); the original is kept in gedcom_data."""
NAME_TYPES = {
    "birth": NameType.BIRTH,
    "married": NameType.MARRIED,
    "aka": NameType.AKA,
    "religious": NameType.RELIGIOUS,
    "immigrant": NameType.OTHER,
    "maiden": NameType.BIRTH,
    "professional": NameType.OTHER,
}


class _XrefLine:
    __slots__ = ("line", "xref")

    def __init__(self, xref: str, line: int) -> None:
        self.xref, self.line = xref, line


class TreeLoader:
    """Create persons, families, events, notes, sources, citations and photos from GEDCOM records."""

    def __init__(
        self,
        *,
        tree: Tree,
        user: Any,
        media: MediaSource,
        is_archive: bool,
        saved_files: list[str],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.tree = tree
        self.user = user
        self.media_files = media
        self.is_archive = is_archive
        self.saved_files = saved_files  # storage names written so far: the caller deletes them on failure
        self.progress = progress
        self.issues: list[GedcomIssue] = []
        self.counter = RecordCounter()  # the same counts as the preview's
        self.media_not_attached: list[dict[str, Any]] = []
        self.other_media_links: set[str] = set()  # OBJE xrefs linked from families and events
        self.lines: dict[str, int] = {}
        self.person_pk: dict[str, int] = {}
        self.family_pk: dict[str, int] = {}
        self.source_pk: dict[str, int] = {}
        self.shared_notes: dict[str, str] = {}
        self.media_objects: dict[str, MediaObject] = {}
        self.partners: list[tuple[int, str, str, int]] = []  # families whose partners are resolved at the end
        self.parents: dict[str, list[str]] = {}  # family xref → partner xrefs found, for the ancestry check
        self.without_birth: list[int] = []  # persons whose estimated birth year needs their relatives
        self.children: list[tuple[str, list[str], int]] = []
        self.famc: dict[tuple[str, str], tuple[str, int]] = {}  # (child, family) → (FAMC pedigree, line)
        self.pending_notes: list[tuple[dict[str, Any], int]] = []
        self.pending_citations: list[tuple[Citation, str, int]] = []
        self.pending_media: list[tuple[int, str, int]] = []
        self.order = 0
        self.prefix = xref_prefix(tree)

    def load(self, records: Iterable[Any], *, total: int = 0) -> None:
        """Insert every record, then resolve the links between them."""
        batch: list[Any] = []
        done = 0
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH_SIZE:
                self._flush(batch)
                done += len(batch)
                batch = []
                if self.progress and total:
                    self.progress(min(95, 95 * done // total))
        if batch:
            self._flush(batch)

    def finish(self, *, header_extra: list[GedcomNode]) -> None:
        """Resolve partners, children, shared notes, citations and media; keep the header's extras."""
        self._resolve_families()
        self._resolve_notes()
        self._resolve_citations()
        self._resolve_media()
        if self.prefix:
            for node in header_extra:
                rename_pointers(node, self.prefix)
        if header_extra:
            GedcomRecord.objects.create(
                tree=self.tree, tag="HEAD", order=self._next(), data={"children": serial.nodes_json(header_extra)}
            )

    def _next(self) -> int:
        self.order += 1
        return self.order

    def _register(self, xref: str, line: int) -> None:
        if not xref:
            return
        if xref in self.lines:
            raise GedcomStructureError(f"duplicate xref {xref} (first defined on line {self.lines[xref]})", line=line)
        if len(xref) > MAX_XREF:
            raise GedcomStructureError(f"xref {xref[:20]}… is longer than {MAX_XREF} characters", line=line)
        self.lines[xref] = line

    def _flush(self, batch: list[Any]) -> None:
        persons, families, sources, records = [], [], [], []
        for record in batch:
            if self.prefix:
                rename_pointers(record, self.prefix)
            self._register(record.xref, record.line)
            self.counter.add(record)
            if isinstance(record, Individual):
                persons.append(record)
            elif isinstance(record, GedcomFamily):
                families.append(record)
            elif isinstance(record, GedcomSource):
                sources.append(record)
            elif isinstance(record, GedcomNote):
                self.shared_notes[record.xref] = record.text
                records.append(
                    GedcomRecord(
                        tree=self.tree, tag="NOTE", xref=record.xref, order=self._next(), data=serial.note_json(record)
                    )
                )
            elif isinstance(record, MediaObject):
                self.media_objects[record.xref] = record
                records.append(
                    GedcomRecord(
                        tree=self.tree, tag="OBJE", xref=record.xref, order=self._next(), data=serial.media_json(record)
                    )
                )
            else:
                records.append(
                    GedcomRecord(
                        tree=self.tree, tag=record.tag[:32], xref=record.xref, order=self._next(), data=record.to_json()
                    )
                )
        if persons:
            self._persons(persons)
        if families:
            self._families(families)
        if sources:
            self._sources(sources)
        if records:
            GedcomRecord.objects.bulk_create(records)

    # Persons -------------------------------------------------------------------------------------

    def _persons(self, individuals: list[Individual]) -> None:
        built = [self._person_row(individual) for individual in individuals]
        ids = rows_insert(Person, [row for row, _ in built])
        names, events, notes = [], [], []
        for individual, (row, kept), pk in zip(individuals, built, ids):
            self.person_pk[individual.xref] = pk
            if row.get("estimated_birth_year") is None:
                self.without_birth.append(pk)
            for name in individual.names[1:]:
                names.append(
                    {
                        "person_id": pk,
                        "name_type": NAME_TYPES.get(name.type.lower(), NameType.OTHER),
                        "prefix": name.prefix[:50],
                        "given_names": name.given[:200],
                        "nickname": name.nickname[:100],
                        "surname_prefix": name.surname_prefix[:50],
                        "surname": name.surname[:200],
                        "suffix": name.suffix[:50],
                        "gedcom_data": serial.name_json(name),
                    }
                )
            events += self._event_rows(individual.events, person_id=pk, skip=kept)
            notes += self._note_rows(individual.notes, individual.line, person_id=pk)
            self._citation_rows(individual.citations, individual.line, person_id=pk)
            for xref in individual.media:
                self.pending_media.append((pk, xref, individual.line))
            for event in individual.events:
                self.other_media_links.update(event.media)
            for link in individual.child_of:
                self.famc[(individual.xref, link.family)] = (link.pedigree, individual.line)
        rows_insert(PersonName, names)
        rows_insert(Event, events)
        rows_insert(Note, notes)

    def _person_row(self, individual: Individual) -> tuple[dict[str, Any], set[int]]:
        """Return the person's column values and the indexes of the events kept on them (birth, death)."""
        row: dict[str, Any] = {
            "tree_id": self.tree.pk,
            "gedcom_xref": individual.xref,
            "sex": individual.sex if individual.sex in SEXES else Sex.UNKNOWN,
        }
        data: dict[str, Any] = {}
        if individual.names:
            first = individual.names[0]
            row["given_names"], row["surname"] = first.given[:200], first.surname[:200]
            stored = serial.name_json(first)
            if stored.keys() - {"full", "given", "surname"} or first.full != f"{first.given} /{first.surname}/":
                data["name"] = stored  # more than export rebuilds from given names and surname
        kept: set[int] = set()
        for index, event in enumerate(individual.events):
            if event.tag in ("BIRT", "DEAT") and event.tag not in data:
                prefix = "birth" if event.tag == "BIRT" else "death"
                data[event.tag] = self._kept_event(event, index, index == len(individual.events) - 1, row, prefix)
                kept.add(index)
        row["is_deceased"] = "DEAT" in data
        born = row.get("birth_date_end") or row.get("birth_date_start")
        if born:
            # What persons_refresh_estimated_birth would store; set now so it only visits the others.
            row["estimated_birth_year"] = born.year
        inline = [serial.citation_json(c) for c in individual.citations if not c.source]
        if inline:
            data["inline_citations"] = inline
        if individual.media:
            data["media"] = list(individual.media)
        links = {link.family: serial.nodes_json(link.extra) for link in individual.child_of if link.extra}
        if links:
            data["famc"] = links
        # Pedigrees Kinship stores differently: no PEDI (stored as birth) and sealing (stored as unknown).
        pedigrees = {
            link.family: link.pedigree for link in individual.child_of if link.pedigree in ("unknown", "sealing")
        }
        if pedigrees:
            data["pedi"] = pedigrees
        links = {link.family: serial.nodes_json(link.extra) for link in individual.partner_in if link.extra}
        if links:
            data["fams"] = links
        if individual.extra:
            data["extra"] = serial.nodes_json(individual.extra)
        row["gedcom_data"] = data
        return row, kept

    def _kept_event(
        self, event: GedcomEvent, index: int, last: bool, row: dict[str, Any], prefix: str
    ) -> dict[str, Any]:
        """Put an event's date and place on the row's own fields; return the rest for gedcom_data.

        Most events need nothing more: the order is left out where export puts the event anyway
        (birth and marriage first, death and divorce last), and so is the "Y" of a bare event.
        """
        self._check_date(event)
        length = 100
        row[f"{prefix}_date"] = event.date.original[:length]
        row[f"{prefix}_date_start"] = event.date.start
        row[f"{prefix}_date_end"] = event.date.end
        data: dict[str, Any] = {}
        first_kind = event.tag in ("BIRT", "MARR")
        if not ((first_kind and index == 0) or (not first_kind and last)):
            data["order"] = index
        if len(event.date.original) > length:
            data["date"] = event.date.original
        if prefix in ("birth", "death"):  # persons keep places; families have no place fields
            row[f"{prefix}_place"] = event.place[:300]
            if len(event.place) > 300:
                data["place"] = event.place
        elif event.place:
            data["place"] = event.place
        if event.value and event.value != "Y":
            data["value"] = event.value
        if event.type:
            data["type"] = event.type
        data.update(serial.date_json(event.date))
        data.update(
            serial.attachments_json(notes=event.notes, citations=event.citations, media=event.media, extra=event.extra)
        )
        return data

    def _check_date(self, event: GedcomEvent) -> None:
        issue = date_issue(event)
        if issue is not None:
            self.issues.append(issue)

    def _event_rows(
        self, events: list[GedcomEvent], *, skip: set[int], person_id: int | None = None, family_id: int | None = None
    ) -> list[dict[str, Any]]:
        rows = []
        for index, event in enumerate(events):
            if index in skip:
                continue
            self._check_date(event)
            data = serial.date_json(event.date)
            data.update(
                serial.attachments_json(
                    notes=event.notes, citations=event.citations, media=event.media, extra=event.extra
                )
            )
            rows.append(
                {
                    "tree_id": self.tree.pk,
                    "person_id": person_id,
                    "family_id": family_id,
                    "tag": event.tag[:32],
                    "event_type": event.type[:200],
                    "value": event.value,
                    "date": event.date.original,
                    "date_start": event.date.start,
                    "date_end": event.date.end,
                    "place": event.place,
                    "order": index,
                    "gedcom_data": data,
                }
            )
        return rows

    def _note_rows(self, notes: list[GedcomNote], line: int, **owner: int) -> list[dict[str, Any]]:
        rows = []
        for note in notes:
            data = serial.note_json(GedcomNote(citations=note.citations, extra=note.extra))
            if note.pointer:
                self.pending_notes.append(
                    (
                        {"tree_id": self.tree.pk, "gedcom_xref": note.pointer, "gedcom_data": data, **owner},
                        note.line or line,
                    )
                )
            else:
                rows.append({"tree_id": self.tree.pk, "text": note.text, "gedcom_data": data, **owner})
        return rows

    def _citation_rows(self, citations: list[Any], line: int, **owner: int) -> None:
        for citation in citations:
            if not citation.source:
                continue  # inline sources stay in the owner's gedcom_data
            data = serial.citation_json(citation)
            data.pop("source")
            for name in ("page", "text"):
                data.pop(name, None)
            # QUAY is also kept as read in gedcom_data; the column is what pages show and edit.
            quality = next(
                (int(n.value) for n in citation.extra if n.tag == "QUAY" and n.value in ("0", "1", "2", "3")), None
            )
            row = Citation(page=citation.page[:300], text=citation.text, quality=quality, gedcom_data=data, **owner)
            if len(citation.page) > 300:
                row.gedcom_data["page"] = citation.page
            self.pending_citations.append((row, citation.source, line))

    # Families, sources ---------------------------------------------------------------------------

    def _families(self, families: list[GedcomFamily]) -> None:
        rows: list[dict[str, Any]] = []
        kept_events: list[set[int]] = []
        for family in families:
            row: dict[str, Any] = {
                "tree_id": self.tree.pk,
                "gedcom_xref": family.xref,
                "family_type": FamilyType.UNKNOWN,
            }
            partners = [self.person_pk.get(p) if p else None for p in (family.partner1, family.partner2)]
            known = all(pk is not None or not p for pk, p in zip(partners, (family.partner1, family.partner2)))
            if known and (partners[0] is None or partners[0] != partners[1]):
                # Partners already inserted (the usual order: INDI before FAM): no update later.
                row["partner1_id"], row["partner2_id"] = partners
            data: dict[str, Any] = {}
            kept: set[int] = set()
            for index, event in enumerate(family.events):
                if event.tag in ("MARR", "DIV") and event.tag not in data:
                    prefix = "start" if event.tag == "MARR" else "end"
                    data[event.tag] = self._kept_event(event, index, index == len(family.events) - 1, row, prefix)
                    kept.add(index)
            if "MARR" in data:
                row["family_type"] = FamilyType.MARRIED
            chil = {c.individual: serial.nodes_json(c.extra) for c in family.children if c.extra}
            inline = [serial.citation_json(c) for c in family.citations if not c.source]
            for key, value in (
                ("chil", chil),
                ("inline_citations", inline),
                ("media", list(family.media)),
                ("extra", serial.nodes_json(family.extra)),
            ):
                if value:
                    data[key] = value
            row["gedcom_data"] = data
            rows.append(row)
            kept_events.append(kept)
        ids = rows_insert(Family, rows)
        events, notes = [], []
        for family, row, kept, pk in zip(families, rows, kept_events, ids):
            self.family_pk[family.xref] = pk
            if row.get("partner1_id") is None and row.get("partner2_id") is None:
                self.partners.append((pk, family.partner1, family.partner2, family.line))
            else:
                self.parents[family.xref] = [p for p in (family.partner1, family.partner2) if p]
            self.children.append((family.xref, [c.individual for c in family.children], family.line))
            self.other_media_links.update(family.media)
            for event in family.events:
                self.other_media_links.update(event.media)
            events += self._event_rows(family.events, family_id=pk, skip=kept)
            notes += self._note_rows(family.notes, family.line, family_id=pk)
            self._citation_rows(family.citations, family.line, family_id=pk)
        rows_insert(Event, events)
        rows_insert(Note, notes)

    def _sources(self, sources: list[GedcomSource]) -> None:
        rows = []
        for source in sources:
            data: dict[str, Any] = {}
            for name in ("text", "abbreviation"):
                if getattr(source, name):
                    data[name] = getattr(source, name)
            for name, length in (("title", 300), ("author", 200), ("publication", 300)):
                if len(getattr(source, name)) > length:
                    data[name] = getattr(source, name)
            if source.notes:
                data["notes"] = [serial.note_json(n) for n in source.notes]
            if source.extra:
                data["extra"] = serial.nodes_json(source.extra)
            rows.append(
                Source(
                    tree=self.tree,
                    title=source.title[:300],
                    author=source.author[:200],
                    publication=source.publication[:300],
                    gedcom_xref=source.xref,
                    gedcom_data=data,
                )
            )
        Source.objects.bulk_create(rows)
        for source, row in zip(sources, rows):
            self.source_pk[source.xref] = row.pk

    # Links ---------------------------------------------------------------------------------------

    def _dangling(self, owner: str, pointer: str, line: int) -> None:
        if pointer != "@VOID@":
            self.issues.append(
                GedcomIssue(f"{owner} points at {pointer}, which does not exist; link dropped", line=line)
            )

    def _resolve_families(self) -> None:
        updates = []
        parents = self.parents
        xref_of_family = {pk: xref for xref, pk in self.family_pk.items()}
        for family_id, partner1, partner2, line in self.partners:
            found = []
            for pointer in (partner1, partner2):
                pk = self.person_pk.get(pointer) if pointer else None
                if pointer and pk is None:
                    self._dangling(xref_of_family[family_id], pointer, line)
                if pk is not None and pk in found:
                    self.issues.append(GedcomIssue(f"{pointer} is both partners of a family; kept once", line=line))
                    pk = None
                found.append(pk)
            if any(found):
                updates.append(Family(pk=family_id, partner1_id=found[0], partner2_id=found[1]))
                parents[xref_of_family[family_id]] = [p for p, pk in zip((partner1, partner2), found) if pk]
        Family.objects.bulk_update(updates, ["partner1", "partner2"], batch_size=1000)
        links: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        document = GedcomDocument()
        for family_xref, children, line in self.children:
            family_id = self.family_pk[family_xref]
            linked = []
            for child in children:
                if (child, family_xref) in seen:
                    continue
                if child not in self.person_pk:
                    self._dangling(family_xref, child, line)
                    continue
                seen.add((child, family_xref))
                linked.append(child)
            partners = parents.get(family_xref, [])
            document.families.append(
                GedcomFamily(
                    xref=family_xref,
                    partner1=partners[0] if partners else "",
                    partner2=partners[1] if len(partners) > 1 else "",
                    children=[GedcomChildLink(individual=c) for c in linked],
                )
            )
            for order, child in enumerate(linked):
                pedigree = self.famc.get((child, family_xref), ("unknown", 0))[0]
                links.append(
                    {
                        "family_id": family_id,
                        "child_id": self.person_pk[child],
                        "order": order,
                        "pedigree": PEDIGREE_MAP.get(pedigree, Pedigree.UNKNOWN),
                    }
                )
            if len(links) >= BATCH_SIZE:
                self._insert_links(links)
        families = {family.xref: family for family in document.families}
        for (child, family_xref), (pedigree, line) in self.famc.items():
            if (child, family_xref) in seen:
                continue
            if family_xref not in self.family_pk:
                self._dangling(child, family_xref, line)
                continue
            self.issues.append(
                GedcomIssue(f"{child} names {family_xref} as parents' family but is not its CHIL; linked", line=line)
            )
            seen.add((child, family_xref))
            families[family_xref].children.append(GedcomChildLink(individual=child))
            links.append(
                {
                    "family_id": self.family_pk[family_xref],
                    "child_id": self.person_pk[child],
                    "order": len(families[family_xref].children),
                    "pedigree": PEDIGREE_MAP.get(pedigree, Pedigree.UNKNOWN),
                }
            )
        self._insert_links(links)
        # The check reads only .xref and .line of the persons: small stand-ins, not full Individuals.
        document.individuals = [_XrefLine(x, self.lines[x]) for x in self.person_pk]
        check_no_own_ancestor(document)

    def _insert_links(self, links: list[dict[str, Any]]) -> None:
        rows_insert(ChildLink, links)
        links.clear()

    def _resolve_notes(self) -> None:
        rows = []
        for row, line in self.pending_notes:
            text = self.shared_notes.get(row["gedcom_xref"])
            if text is None:
                self._dangling("a note", row["gedcom_xref"], line)
                continue
            row["text"] = text
            rows.append(row)
        rows_insert(Note, rows)

    def _resolve_citations(self) -> None:
        rows = []
        for row, source, line in self.pending_citations:
            if source not in self.source_pk:
                self._dangling("a citation", source, line)
                continue
            row.source_id = self.source_pk[source]
            rows.append(row)
        Citation.objects.bulk_create(rows, batch_size=2000)

    # Media ---------------------------------------------------------------------------------------

    def _resolve_media(self) -> None:
        """Turn OBJE links of persons into photos; report every media file not attached, with the reason."""
        by_media: dict[str, list[int]] = {}
        for person_id, xref, line in self.pending_media:
            if xref not in self.media_objects:
                self._dangling("a person", xref, line)
                continue
            by_media.setdefault(xref, []).append(person_id)
        plan = media_plan(
            media_objects=self.media_objects,
            person_links=by_media,
            other_links=self.other_media_links,
            source=self.media_files,
        )
        for planned in plan.photos:
            try:
                photo = self._photo(planned.media, planned.path)
            except ImageRejected as error:
                plan.refuse(planned.media, planned.path, f"not an image Kinship accepts: {error}")
                continue
            self.counter.counts["photos"] += 1
            Photo.persons.through.objects.bulk_create(
                [Photo.persons.through(photo_id=photo.pk, person_id=p) for p in planned.persons], ignore_conflicts=True
            )
        self.media_not_attached = plan.not_attached
        self.issues += plan.issues()

    def _photo(self, media: MediaObject, path: str) -> Photo:
        """Return the tree's photo of the file (made now, or the same image already there); raise ImageRejected."""
        from cases.errors import RejectedUpload
        from cases.services.photos import photo_store

        marked = any(node.tag == SYNTHETIC_TAG and node.value.upper() == "Y" for node in media.extra)
        try:
            photo, _created = photo_store(
                tree=self.tree,
                data=self.media_files.path(path).read_bytes(),
                original_name=Path(path).name,
                title=media.title or media.files[0].title,
                gedcom_xref=media.xref,
                synthetic=marked,
                uploaded_by=self.user if getattr(self.user, "is_authenticated", False) else None,
                saved_files=self.saved_files,
            )
        except RejectedUpload as error:
            raise ImageRejected(str(error)) from error
        return photo
