"""Editing pages for genealogists: persons with their names, events and notes (thin views over services).

Every page needs the EDIT capability: other roles get a 403 page, non-members a 404, and the links
to these pages are only drawn for those who may follow them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import Capability, TreeAccess
from cases.errors import Conflict, NotFound
from cases.genealogy.events import event_label
from cases.models import Event, Family, Note, Person
from cases.pages.editing_forms import AlternateNameFormSet, EventForm, NoteForm, PersonForm
from cases.pages.feedback import action_reported, page_access
from cases.services import events as event_services, notes as note_services, persons as person_services
from cases.services.dates import date_understand
from cases.services.records import record_subject_check


@login_required
def date_understand_page(request: HttpRequest, tree_id: int) -> JsonResponse:
    """Return how a date phrase reads, for the hint under a date field while it is typed."""
    page_access(request, tree_id, require=Capability.EDIT)
    return JsonResponse(date_understand(request.GET.get("phrase", "")[:200]).as_json())


@login_required
def person_create_page(request: HttpRequest, tree_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    return _person_form(request, access, None)


@login_required
def person_edit_page(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    person = selectors.person_get(access=access, person_id=person_id)
    record_subject_check(access=access, person=person, family=None)
    return _person_form(request, access, person)


def _person_form(request: HttpRequest, access: TreeAccess, person: Person | None) -> HttpResponse:
    initial = PersonForm.initial_from(person) if person else {}
    names_initial = (
        [
            {"id": n.pk, "name_type": n.name_type, "given_names": n.given_names, "surname": n.surname}
            for n in person.alternate_names.all()
        ]
        if person
        else []
    )
    if request.method == "POST":
        form = PersonForm(request.POST, initial=initial)
        names = AlternateNameFormSet(request.POST, initial=names_initial, prefix="names")
        if form.is_valid() and names.is_valid():
            rows = [
                {
                    "id": f.cleaned_data.get("id"),
                    "delete": f.cleaned_data.get("DELETE", False) or f.is_blank,
                    "name_type": f.cleaned_data["name_type"],
                    "given_names": f.cleaned_data["given_names"],
                    "surname": f.cleaned_data["surname"],
                }
                for f in names.forms
                if f.has_changed() or f.cleaned_data.get("id")
            ]
            creating = person is None
            with action_reported(request, form=form) as saved, transaction.atomic():
                if person is None:
                    person = person_services.person_create(access=access, **form.service_fields())
                else:
                    person = person_services.person_update(access=access, person=person, **form.service_fields())
                person_services.person_names_sync(access=access, person=person, names=rows)
                saved.success = f"{person.display_name} was saved."
            if saved.ok:
                return redirect(person)
            if creating:
                person = None  # the row was rolled back
    else:
        form = PersonForm(initial=initial)
        names = AlternateNameFormSet(initial=names_initial, prefix="names")
    return render(
        request,
        "cases/person_form.html",
        {
            "access": access,
            "tree": access.tree,
            "person": person,
            "form": form,
            "names": names,
            "cancel": person.get_absolute_url() if person else reverse("person-list", args=[access.tree.pk]),
        },
        status=400 if form.errors or names.total_error_count() else 200,
    )


@login_required
def person_delete_page(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    person = selectors.person_get(access=access, person_id=person_id)
    record_subject_check(access=access, person=person, family=None)
    problem, status = "", 200
    if request.method == "POST":
        # Only a conflict (say, a case about them) is shown on the page, with its 409.
        with action_reported(
            request, success=f"{person.display_name} was deleted.", errors=(Conflict,), inline=True
        ) as deleted:
            person_services.person_delete(access=access, person=person)
        if deleted.ok:
            return redirect("person-list", tree_id=tree_id)
        problem, status = deleted.problem, deleted.error.status_code
    return render(
        request,
        "cases/confirm_delete.html",
        {
            "access": access,
            "tree": access.tree,
            "title": f"Delete {person.display_name}?",
            "problem": problem,
            "explain": "Their names, events, notes and links to families are deleted with them; photos stay in "
            "the tree. This cannot be undone.",
            "button": f"Delete {person.display_name}",
            "cancel": person.get_absolute_url(),
        },
        status=status,
    )


@login_required
def person_records_page(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    person = selectors.person_get(access=access, person_id=person_id)
    return _records(request, access, person=person)


@login_required
def family_records_page(request: HttpRequest, tree_id: int, family_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    return _records(request, access, family=_family(access, family_id))


def _records(
    request: HttpRequest, access: TreeAccess, *, person: Person | None = None, family: Family | None = None
) -> HttpResponse:
    record_subject_check(access=access, person=person, family=family)
    subject = person or family
    events = Event.objects.filter(**({"person": person} if person else {"family": family}))
    rows = [
        {
            "event": e,
            "label": event_label(e.tag, e.event_type),
            "date": date_understand(e.date).shown or e.date,
            "age": event_services.event_age(e),
            "description": event_services.event_description(e),
        }
        for e in events
    ]
    notes = Note.objects.filter(**({"person": person} if person else {"family": family}))
    kind = "person" if person else "family"
    return render(
        request,
        "cases/records_edit.html",
        {
            "access": access,
            "tree": access.tree,
            "subject": subject,
            "kind": kind,
            "rows": rows,
            "notes": notes,
            "title": person.display_name if person else f"Family: {family}",
            "add_event": reverse(f"{kind}-event-add", args=[access.tree.pk, subject.pk]),
            "add_note": reverse(f"{kind}-note-add", args=[access.tree.pk, subject.pk]),
        },
    )


def _family(access: TreeAccess, family_id: int) -> Family:
    family = Family.objects.filter(tree=access.tree, pk=family_id).select_related("partner1", "partner2").first()
    if family is None:
        raise NotFound("No such family in this tree.")
    return family


def _event(access: TreeAccess, event_id: int) -> Event:
    event = (
        Event.objects.filter(tree=access.tree, pk=event_id)
        .select_related("person", "family__partner1", "family__partner2")
        .first()
    )
    if event is None:
        raise NotFound("No such event in this tree.")
    record_subject_check(access=access, person=event.person, family=event.family)
    return event


def _note(access: TreeAccess, note_id: int) -> Note:
    note = (
        Note.objects.filter(tree=access.tree, pk=note_id)
        .select_related("person", "family__partner1", "family__partner2")
        .first()
    )
    if note is None:
        raise NotFound("No such note in this tree.")
    record_subject_check(access=access, person=note.person, family=note.family)
    return note


def _records_url(subject: Person | Family) -> str:
    kind = "person" if isinstance(subject, Person) else "family"
    return reverse(f"{kind}-records", args=[subject.tree_id, subject.pk])


@login_required
def person_event_add_page(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    return _event_form(request, access, None, person=selectors.person_get(access=access, person_id=person_id))


@login_required
def family_event_add_page(request: HttpRequest, tree_id: int, family_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    return _event_form(request, access, None, family=_family(access, family_id))


@login_required
def event_edit_page(request: HttpRequest, tree_id: int, event_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    event = _event(access, event_id)
    return _event_form(request, access, event, person=event.person, family=event.family)


def _event_form(
    request: HttpRequest,
    access: TreeAccess,
    event: Event | None,
    *,
    person: Person | None = None,
    family: Family | None = None,
) -> HttpResponse:
    record_subject_check(access=access, person=person, family=family)
    subject = person or family
    initial = (
        {
            "tag": event.tag,
            "event_type": event.event_type if event.tag in ("EVEN", "FACT") else "",
            "date": event.date,
            "place": event.place,
            "age": event_services.event_age(event),
            "description": event_services.event_description(event),
        }
        if event
        else {}
    )
    form = EventForm(request.POST or None, initial=initial, for_family=family is not None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        with action_reported(
            request, success=f"{event_label(fields['tag'], fields['event_type'])} saved.", form=form
        ) as saved:
            if event is None:
                event_services.event_create(access=access, person=person, family=family, **fields)
            else:
                event_services.event_update(access=access, event=event, **fields)
        if saved.ok:
            return redirect(_records_url(subject))
    return render(
        request,
        "cases/event_form.html",
        {
            "access": access,
            "tree": access.tree,
            "form": form,
            "event": event,
            "subject": subject,
            "subject_name": person.display_name if person else f"the family of {family}",
            "cancel": _records_url(subject),
        },
        status=400 if form.errors else 200,
    )


@login_required
def event_delete_page(request: HttpRequest, tree_id: int, event_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    event = _event(access, event_id)
    subject = event.person or event.family
    if request.method == "POST":
        event_services.event_delete(access=access, event=event)
        messages.success(request, f"{event_label(event.tag, event.event_type)} deleted.")
        return redirect(_records_url(subject))
    label = event_label(event.tag, event.event_type)
    when = date_understand(event.date).shown or event.date
    return render(
        request,
        "cases/confirm_delete.html",
        {
            "access": access,
            "tree": access.tree,
            "title": f"Delete this {label.lower()}?",
            "explain": f"{label}{' ' + when if when else ''}{', ' + event.place if event.place else ''}. "
            "Its notes and citations go with it. This cannot be undone.",
            "button": f"Delete {label.lower()}",
            "cancel": _records_url(subject),
        },
    )


@login_required
@require_POST
def event_move_page(request: HttpRequest, tree_id: int, event_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    event = _event(access, event_id)
    event_services.event_move(access=access, event=event, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(f"{_records_url(event.person or event.family)}#event-{event.pk}")


@login_required
def person_note_add_page(request: HttpRequest, tree_id: int, person_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    return _note_form(request, access, None, person=selectors.person_get(access=access, person_id=person_id))


@login_required
def family_note_add_page(request: HttpRequest, tree_id: int, family_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    return _note_form(request, access, None, family=_family(access, family_id))


@login_required
def note_edit_page(request: HttpRequest, tree_id: int, note_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    note = _note(access, note_id)
    return _note_form(request, access, note, person=note.person, family=note.family)


def _note_form(
    request: HttpRequest,
    access: TreeAccess,
    note: Note | None,
    *,
    person: Person | None = None,
    family: Family | None = None,
) -> HttpResponse:
    record_subject_check(access=access, person=person, family=family)
    subject = person or family
    form = NoteForm(request.POST or None, initial={"text": note.text} if note else {})
    if request.method == "POST" and form.is_valid():
        with action_reported(request, success="Note saved.", form=form) as saved:
            if note is None:
                note_services.note_create(access=access, person=person, family=family, text=form.cleaned_data["text"])
            else:
                note_services.note_update(access=access, note=note, text=form.cleaned_data["text"])
        if saved.ok:
            return redirect(_records_url(subject))
    return render(
        request,
        "cases/note_form.html",
        {
            "access": access,
            "tree": access.tree,
            "form": form,
            "note": note,
            "subject_name": person.display_name if person else f"the family of {family}",
            "cancel": _records_url(subject),
        },
        status=400 if form.errors else 200,
    )


@login_required
def note_delete_page(request: HttpRequest, tree_id: int, note_id: int) -> HttpResponse:
    access = page_access(request, tree_id, require=Capability.EDIT)
    note = _note(access, note_id)
    subject = note.person or note.family
    if request.method == "POST":
        note_services.note_delete(access=access, note=note)
        messages.success(request, "Note deleted.")
        return redirect(_records_url(subject))
    return render(
        request,
        "cases/confirm_delete.html",
        {
            "access": access,
            "tree": access.tree,
            "title": "Delete this note?",
            "quote": note.text,
            "explain": "This cannot be undone.",
            "button": "Delete note",
            "cancel": _records_url(subject),
        },
    )
