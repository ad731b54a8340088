"""Editing pages for families, children, sources, repositories, citations and face tags.

Thin views: each reads a form, calls one service and goes back to the page the form was on. A form
with a mistake is shown again with what was typed and a sentence saying what to change.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.genealogy.dates import date_display_year
from cases.models import ChildLink, Citation, Event, Face, Family, Person, Repository, Source
from cases.models.records import FamilyType, Pedigree, Sex
from cases.pages.feedback import action_reported, page_access, redirect_back
from cases.selectors.search import PersonQuery
from cases.selectors.sources import repository_list, source_list
from cases.selectors.timeline import EVENT_LABELS
from cases.services import families as family_services, photos as photo_services, repositories, sources
from cases.services.dates import stored_date

LOOKUP_LIMIT = 20
_PERSON_REF = re.compile(r"#(\d+)\s*$")


def person_label(person: Person | None) -> str:
    """Return how a person is written in a picker: name, years and ``#id`` (which the form reads back)."""
    if person is None:
        return ""
    years = "–".join(date_display_year(d) for d in (person.birth_date, person.death_date) if d)
    return f"{person.display_name}{f' ({years})' if years else ''} #{person.pk}"


def _person_from_text(access: TreeAccess, text: str, what: str) -> Person | None:
    """Return the person a picker field names: ``… #id`` from a suggestion, or a name that fits one person."""
    text = text.strip()
    if not text:
        return None
    match = _PERSON_REF.search(text)
    if match:
        return selectors.person_get(access=access, person_id=int(match.group(1)))
    found = list(selectors.person_find(access=access, query=PersonQuery(name=text))[:2])
    if not found:
        raise InvalidInput(f"{what}: nobody in this tree is called “{text}”.")
    if len(found) > 1:
        raise InvalidInput(f"{what}: several persons match “{text}”; pick one from the suggestions.")
    return found[0]


def _date_checked(text: str, what: str) -> str:
    date = stored_date(text)
    if date.warning:
        raise InvalidInput(
            f"{what}: “{date.text}” is not a date Kinship can read ({date.warning}). "
            "Write it like 12 MAR 1901, MAR 1901, ABT 1901 or BET 1850 AND 1855."
        )
    return date.text


@login_required
def person_lookup(request: HttpRequest, tree_id: int) -> JsonResponse:
    """Return up to 20 persons whose names match ``q``, for the person pickers of the edit forms."""
    access = page_access(request, tree_id, require=Capability.EDIT)
    text = request.GET.get("q", "").strip()
    persons = selectors.person_find(access=access, query=PersonQuery(name=text))[:LOOKUP_LIMIT] if text else []
    return JsonResponse({"results": [{"id": p.pk, "label": person_label(p)} for p in persons]})


# Families ----------------------------------------------------------------------------------------


@login_required
def family_form_page(request: HttpRequest, tree_id: int, family_id: int | None = None) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    family = selectors.family_page(access=access, family_id=family_id).family if family_id else None
    if request.method == "POST":
        values = {
            name: request.POST.get(name, "")
            for name in ("partner1", "partner2", "family_type", "start_date", "end_date")
        }
    elif family is not None:
        values = {
            "partner1": person_label(family.partner1),
            "partner2": person_label(family.partner2),
            "family_type": family.family_type,
            "start_date": family.start_date,
            "end_date": family.end_date,
        }
    else:
        partner = request.GET.get("partner", "")
        first = selectors.person_get(access=access, person_id=int(partner)) if partner.isdigit() else None
        values = {
            "partner1": person_label(first),
            "partner2": "",
            "family_type": FamilyType.UNKNOWN,
            "start_date": "",
            "end_date": "",
        }
    error = ""
    if request.method == "POST":
        with action_reported(request, inline=True) as saved:
            fields = {
                "partner1": _person_from_text(access, values["partner1"], "First partner"),
                "partner2": _person_from_text(access, values["partner2"], "Second partner"),
                "family_type": values["family_type"],
                "start_date": _date_checked(values["start_date"], "From"),
                "end_date": _date_checked(values["end_date"], "Until"),
            }
            if family is None:
                family = family_services.family_create(access=access, **fields)
                saved.success = "Family created. Add children below."
            else:
                family_services.family_update(access=access, family=family, **fields)
                saved.success = "Family saved."
        if saved.ok:
            return redirect(family)
        error = saved.problem
    return render(
        request,
        "cases/family_form.html",
        {
            "access": access,
            "tree": access.tree,
            "family": family,
            "values": values,
            "error": error,
            "family_types": FamilyType.choices,
        },
        status=400 if error else 200,
    )


@login_required
def family_delete_page(request: HttpRequest, tree_id: int, family_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    family = selectors.family_page(access=access, family_id=family_id).family
    if request.method == "POST":
        fallback = family.partner1 or family.partner2 or _url("person-list", tree_id)
        with action_reported(request, success="Family deleted; its partners and children are still in the tree."):
            family_services.family_delete(access=access, family=family)
        return redirect(fallback)
    children = family.child_links.count()
    return _confirm(
        request,
        access,
        f"Delete the family {family}?",
        f"The family and its {children} child link{'s' if children != 1 else ''} go; the persons stay.",
        cancel=family.get_absolute_url(),
    )


# Children ----------------------------------------------------------------------------------------


@login_required
@require_POST
def family_child_add_page(request: HttpRequest, tree_id: int, family_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    family = selectors.family_page(access=access, family_id=family_id).family
    pedigree = request.POST.get("pedigree", Pedigree.BIRTH)
    with action_reported(request, success="Child added.", failure="The child was not added: "):
        if request.POST.get("mode") == "new":
            family_services.family_child_create(
                access=access,
                family=family,
                given_names=request.POST.get("given_names", ""),
                surname=request.POST.get("surname", ""),
                sex=request.POST.get("sex", Sex.UNKNOWN),
                pedigree=pedigree,
            )
        else:
            child = _person_from_text(access, request.POST.get("child", ""), "Child")
            if child is None:
                raise InvalidInput("Type the name of the person to add as a child.")
            family_services.family_child_add(access=access, family=family, child=child, pedigree=pedigree)
    return redirect(f"{family.get_absolute_url()}#children")


@login_required
@require_POST
def family_child_change_page(request: HttpRequest, tree_id: int, family_id: int, link_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    family = selectors.family_page(access=access, family_id=family_id).family
    link = ChildLink.objects.select_related("family", "child").filter(family=family, pk=link_id).first()
    if link is None:
        raise NotFound("No such child in this family.")
    action = request.POST.get("action", "")
    with action_reported(request, failure="Not changed: ") as changed:
        if action in ("up", "down"):
            family_services.family_child_move(access=access, link=link, offset=-1 if action == "up" else 1)
        elif action == "remove":
            family_services.family_child_remove(access=access, link=link)
            changed.success = f"{link.child.display_name} is no longer a child of this family."
        else:
            family_services.family_child_update(access=access, link=link, pedigree=request.POST.get("pedigree", ""))
            changed.success = "Pedigree saved."
    return redirect(f"{family.get_absolute_url()}#children")


# Sources and repositories ------------------------------------------------------------------------


@login_required
def source_list_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id)
    return render(
        request,
        "cases/source_list.html",
        {
            "access": access,
            "tree": access.tree,
            "sources": source_list(access=access),
            "repositories": repository_list(access=access),
            "can_edit": access.can(Capability.EDIT),
        },
    )


def _source_get(access: TreeAccess, source_id: int) -> Source:
    source = Source.objects.filter(tree=access.tree, pk=source_id).first()
    if source is None:
        raise NotFound("No such source in this tree.")
    return source


def _repository_get(access: TreeAccess, value: str | int | None) -> Repository | None:
    if not value:
        return None
    repository = Repository.objects.filter(tree=access.tree, pk=int(value)).first() if str(value).isdigit() else None
    if repository is None:
        raise NotFound("No such repository in this tree.")
    return repository


@login_required
def source_form_page(request: HttpRequest, tree_id: int, source_id: int | None = None) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    source = _source_get(access, source_id) if source_id else None
    names = ("title", "author", "publication", "repository")
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in names}
    else:
        values = {name: getattr(source, name, "") if source else "" for name in names[:3]}
        values["repository"] = str(source.repository_id or "") if source else request.GET.get("repository", "")
    error = ""
    if request.method == "POST":
        with action_reported(request, inline=True) as saved:
            fields = {
                "title": values["title"],
                "author": values["author"],
                "publication": values["publication"],
                "repository": _repository_get(access, values["repository"]),
            }
            if source is None:
                source = sources.source_create(access=access, **fields)
                saved.success = f"Source “{source.title}” added."
            else:
                sources.source_update(access=access, source=source, **fields)
                saved.success = "Source saved."
        if saved.ok:
            return redirect_back(request, f"{_url('source-list', tree_id)}#source-{source.pk}")
        error = saved.problem
    return render(
        request,
        "cases/source_form.html",
        {
            "access": access,
            "tree": access.tree,
            "source": source,
            "values": values,
            "error": error,
            "repositories": Repository.objects.filter(tree=access.tree),
            "next": request.GET.get("next", ""),
        },
        status=400 if error else 200,
    )


@login_required
def source_delete_page(request: HttpRequest, tree_id: int, source_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    source = _source_get(access, source_id)
    if request.method == "POST":
        with action_reported(request, success=f"Source “{source.title}” deleted."):
            sources.source_delete(access=access, source=source)
        return redirect("source-list", tree_id)
    cited = source.citations.count()
    return _confirm(
        request,
        access,
        f"Delete the source “{source.title}”?",
        f"It is cited {cited} time{'s' if cited != 1 else ''}; those citations are deleted with it.",
        cancel=_url("source-list", tree_id),
    )


@login_required
def repository_form_page(request: HttpRequest, tree_id: int, repository_id: int | None = None) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    repository = _repository_get(access, repository_id)
    if request.method == "POST":
        values = {"name": request.POST.get("name", ""), "address": request.POST.get("address", "")}
    else:
        values = {"name": repository.name if repository else "", "address": repository.address if repository else ""}
    error = ""
    if request.method == "POST":
        with action_reported(request, inline=True) as saved:
            if repository is None:
                repository = repositories.repository_create(access=access, **values)
                saved.success = f"Repository “{repository.name}” added."
            else:
                repositories.repository_update(access=access, repository=repository, **values)
                saved.success = "Repository saved."
        if saved.ok:
            return redirect(f"{_url('source-list', tree_id)}#repositories")
        error = saved.problem
    return render(
        request,
        "cases/repository_form.html",
        {"access": access, "tree": access.tree, "repository": repository, "values": values, "error": error},
        status=400 if error else 200,
    )


@login_required
def repository_delete_page(request: HttpRequest, tree_id: int, repository_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    repository = _repository_get(access, repository_id)
    if request.method == "POST":
        with action_reported(request, success=f"Repository “{repository.name}” deleted."):
            repositories.repository_delete(access=access, repository=repository)
        return redirect(f"{_url('source-list', tree_id)}#repositories")
    held = repository.sources.count()
    return _confirm(
        request,
        access,
        f"Delete the repository “{repository.name}”?",
        f"{held} source{'s' if held != 1 else ''} kept there stay, without a repository.",
        cancel=f"{_url('source-list', tree_id)}#repositories",
    )


# Citations ---------------------------------------------------------------------------------------


def _citation_targets(owner: Person | Family) -> list[tuple[str, str]]:
    """Return the facts of a person or family a citation may support, as (form value, label)."""
    if isinstance(owner, Person):
        targets = [("", "The person as a whole"), ("fact:BIRT", "Birth"), ("fact:DEAT", "Death")]
        events = Event.objects.filter(person=owner)
    else:
        targets = [("", "The family as a whole"), ("fact:MARR", "Marriage"), ("fact:DIV", "Divorce")]
        events = Event.objects.filter(family=owner)
    for event in events:
        label = (
            event.event_type
            if event.tag in ("EVEN", "FACT") and event.event_type
            else EVENT_LABELS.get(event.tag, event.tag.title())
        )
        details = " ".join(part for part in (event.date, event.place) if part)
        targets.append((f"event:{event.pk}", f"{label}{f' ({details})' if details else ''}"))
    return targets


def _citation_owner(access: TreeAccess, params: Any) -> tuple[Person | Family, str]:
    """Return whom a new citation is about and which of their facts, from ``person``/``family``/``target``."""
    target = params.get("target", "")
    if target.startswith("family:"):  # a marriage shown on a partner's timeline belongs to the family
        _, family_id, fact = (target.split(":") + ["", ""])[:3]
        return _family_get(access, family_id), f"fact:{fact}"
    if params.get("family"):
        return _family_get(access, params["family"]), target
    person_id = params.get("person", "")
    if not person_id.isdigit():
        raise NotFound("Say which person or family to cite a source for.")
    return selectors.person_get(access=access, person_id=int(person_id)), target


def _family_get(access: TreeAccess, family_id: str) -> Family:
    if not str(family_id).isdigit():
        raise NotFound("No such family in this tree.")
    return selectors.family_page(access=access, family_id=int(family_id)).family


@login_required
def citation_form_page(request: HttpRequest, tree_id: int, citation_id: int | None = None) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    citation = None
    if citation_id:
        citation = (
            Citation.objects.select_related("person", "family", "event", "source")
            .filter(source__tree=access.tree, pk=citation_id)
            .first()
        )
        if citation is None:
            raise NotFound("No such citation in this tree.")
        owner: Person | Family = citation.person or citation.family
        _check_owner(access, owner)
        target = f"event:{citation.event_id}" if citation.event_id else f"fact:{citation.fact}" * bool(citation.fact)
    else:
        owner, target = _citation_owner(access, request.POST if request.method == "POST" else request.GET)
    fallback = owner.get_absolute_url() + ("#sources" if isinstance(owner, Person) else "#evidence")
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in ("source", "target", "page", "quality", "text")}
    elif citation is not None:
        values = {
            "source": str(citation.source_id),
            "target": target,
            "page": citation.page,
            "quality": "" if citation.quality is None else str(citation.quality),
            "text": citation.text,
        }
    else:
        values = {"source": request.GET.get("source", ""), "target": target, "page": "", "quality": "", "text": ""}
    error = ""
    if request.method == "POST":
        with action_reported(request, inline=True) as saved:
            source = _source_get(access, int(values["source"])) if values["source"].isdigit() else None
            if source is None:
                raise InvalidInput("Choose the source you are citing (or add it first).")
            quality = int(values["quality"]) if values["quality"].isdigit() else None
            kind, _, ref = values["target"].partition(":")
            fact = ref if kind == "fact" else ""
            common = {
                "source": source,
                "fact": fact,
                "page": values["page"],
                "quality": quality,
                "text": values["text"],
            }
            if citation is None:
                event = None
                if kind == "event":
                    event = Event.objects.filter(tree=access.tree, pk=int(ref) if ref.isdigit() else 0).first()
                    if event is None:
                        raise NotFound("No such event in this tree.")
                owner_field = {"person": owner} if isinstance(owner, Person) else {"family": owner}
                sources.citation_create(access=access, event=event, **owner_field, **common)
                saved.success = "Citation added."
            else:
                sources.citation_update(access=access, citation=citation, **common)
                saved.success = "Citation saved."
        if saved.ok:
            return redirect_back(request, fallback)
        error = saved.problem
    return render(
        request,
        "cases/citation_form.html",
        {
            "access": access,
            "tree": access.tree,
            "citation": citation,
            "owner": owner,
            "values": values,
            "error": error,
            "targets": _citation_targets(owner),
            "owner_kind": type(owner).__name__.lower(),
            "sources": Source.objects.filter(tree=access.tree),
            "qualities": QUALITY_LABELS,
            "fallback": fallback,
            "next": request.GET.get("next", ""),
            "target_locked": citation is not None and citation.event_id is not None,
        },
        status=400 if error else 200,
    )


QUALITY_LABELS = [
    ("", "Not assessed"),
    ("0", "0 – unreliable or estimated"),
    ("1", "1 – questionable"),
    ("2", "2 – secondary evidence"),
    ("3", "3 – direct, primary evidence"),
]
"""GEDCOM's QUAY scale, in words a genealogist recognises."""


def _check_owner(access: TreeAccess, owner: Person | Family) -> None:
    if isinstance(owner, Person):
        access.check_person(owner)
    else:
        access.check_family(owner)


@login_required
def citation_delete_page(request: HttpRequest, tree_id: int, citation_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    citation = (
        Citation.objects.select_related("person", "family", "source")
        .filter(source__tree=access.tree, pk=citation_id)
        .first()
    )
    if citation is None:
        raise NotFound("No such citation in this tree.")
    owner = citation.person or citation.family
    _check_owner(access, owner)
    if request.method == "POST":
        with action_reported(request, success="Citation deleted; the source stays."):
            sources.citation_delete(access=access, citation=citation)
        return redirect(owner)
    return _confirm(
        request,
        access,
        f"Delete the citation of “{citation}”?",
        f"It stops supporting {owner}. The source itself stays.",
        cancel=owner.get_absolute_url(),
    )


# Faces -------------------------------------------------------------------------------------------


@login_required
@require_POST
def face_tag_page(request: HttpRequest, tree_id: int, face_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    face = Face.objects.select_related("photo", "person").filter(photo__tree=access.tree, pk=face_id).first()
    if face is None or selectors.photo_hidden(access=access, photo=face.photo):
        raise NotFound("No such face in this tree.")
    fallback = face.photo.persons.first() or "tree-list"
    with action_reported(request, failure="The face was not tagged: ") as tagged:
        person = (
            None
            if request.POST.get("action") == "clear"
            else _person_from_text(access, request.POST.get("person", ""), "Who is this")
        )
        if person is None and request.POST.get("action") != "clear":
            raise InvalidInput("Type the name of the person this face shows.")
        photo_services.face_assign(access=access, face=face, person=person)
        tagged.success = f"Face tagged as {person.display_name}." if person else "Face untagged."
    return redirect_back(request, fallback, refused=not tagged.ok)


def _confirm(request: HttpRequest, access: TreeAccess, question: str, consequence: str, *, cancel: str) -> HttpResponse:
    return render(
        request,
        "cases/confirm_delete.html",
        {
            "access": access,
            "tree": access.tree,
            "title": question,
            "explain": consequence,
            "button": "Delete",
            "cancel": cancel,
        },
    )


def _url(name: str, tree_id: int) -> str:
    return reverse(name, kwargs={"tree_id": tree_id})
