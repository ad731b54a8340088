"""Forms of the editing pages: they check what was typed; the services decide what may be stored."""

from __future__ import annotations

from django import forms

from cases.genealogy.events import FAMILY_EVENT_TAGS, PERSON_EVENT_TAGS, PERSON_ROW_TAGS, event_label
from cases.models.records import Ancestry, NameType, Sex
from cases.services.dates import date_understand
from genetics import parameters

LIVING_CHOICES = [
    ("", "Decide automatically from the dates"),
    ("yes", "Treat as living"),
    ("no", "Treat as not living"),
]


class DateField(forms.CharField):
    """A genealogical date phrase; the page shows how it reads while it is typed."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", "e.g. 12 MAR 1901, ABT 1925, BET 1850 AND 1855, BEF 1900")
        super().__init__(**kwargs)
        self.widget.attrs.update({"data-date-field": "", "autocomplete": "off"})


class EditForm(forms.Form):
    """A form whose fields name their error message to screen readers (Django names only the help text)."""

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        names = [field] if field else []
        if isinstance(error, dict):
            names = list(error)
        for name in names:
            if name in self.fields:
                bound = self[name]
                ids = [f"{bound.auto_id}_helptext"] if self.fields[name].help_text else []
                self.fields[name].widget.attrs["aria-describedby"] = " ".join([*ids, f"{bound.auto_id}_error"])


class DatesChecked(EditForm):
    """Refuse a typed date Kinship cannot read, but keep an unchanged one exactly as imported."""

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, DateField) or name not in cleaned:
                continue
            text = " ".join(cleaned[name].split())
            if text == (self.initial.get(name) or ""):
                continue
            reading = date_understand(text)
            if reading.error:
                self.add_error(name, reading.error)
            else:
                cleaned[name] = reading.text
        return cleaned


class PersonForm(DatesChecked):
    given_names = forms.CharField(
        label="Given names", max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    surname = forms.CharField(
        label="Surname", max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = DateField(label="Birth date")
    birth_place = forms.CharField(
        label="Birth place", max_length=300, required=False, help_text="Town, county, country"
    )
    death_date = DateField(label="Death date")
    death_place = forms.CharField(label="Death place", max_length=300, required=False)
    is_deceased = forms.BooleanField(label="Known to have died, even without a death date", required=False)
    living = forms.ChoiceField(
        label="Living or not",
        choices=LIVING_CHOICES,
        required=False,
        help_text="Living persons' details are hidden from roles that may not see them.",
    )
    is_hypothetical = forms.BooleanField(
        label="Hypothetical: a placeholder with no lineage record (e.g. a child to generate faces for)", required=False
    )
    hair_colour = forms.ChoiceField(
        label="Natural hair colour",
        choices=[("", "Not stated: read from the photo"), *parameters.HAIR_COLOURS.items()],
        required=False,
        help_text="As a young adult, as the records or the family state it. Generated children inherit it "
        "instead of the colour read from a photo, where a hat, grey hair or a tight crop hides it.",
    )
    ancestry = forms.ChoiceField(
        label="Ancestry",
        choices=[("", "Not stated"), *Ancestry.choices],
        required=False,
        help_text="Sensitive personal data: record it only as the records state it. Used only as the "
        "gene-pool key when faces are generated, never guessed.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not (cleaned.get("given_names", "").strip() or cleaned.get("surname", "").strip()):
            self.add_error("given_names", "Give at least a given name or a surname.")
        return cleaned

    def service_fields(self) -> dict:
        """Return the cleaned data as :func:`cases.services.persons.person_update` takes it."""
        data = dict(self.cleaned_data)
        data["living_override"] = {"yes": True, "no": False}.get(data.pop("living"))
        return data

    @staticmethod
    def initial_from(person) -> dict:
        initial = {
            name: getattr(person, name)
            for name in (
                "given_names",
                "surname",
                "sex",
                "birth_date",
                "birth_place",
                "death_date",
                "death_place",
                "is_deceased",
                "is_hypothetical",
                "hair_colour",
                "ancestry",
            )
        }
        initial["living"] = {True: "yes", False: "no"}.get(person.living_override, "")
        return initial


class AlternateNameForm(EditForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name_type = forms.ChoiceField(label="Kind of name", choices=NameType.choices, initial=NameType.BIRTH)
    given_names = forms.CharField(label="Given names", max_length=200, required=False)
    surname = forms.CharField(label="Surname", max_length=200, required=False)

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("given_names", "").strip() or data.get("surname", "").strip())


AlternateNameFormSet = forms.formset_factory(AlternateNameForm, extra=1, can_delete=True)


class EventForm(DatesChecked):
    tag = forms.ChoiceField(label="Event")
    event_type = forms.CharField(
        label="Type",
        max_length=200,
        required=False,
        help_text="Only for “Other event” and “Other fact”: what it was (e.g. Military service).",
    )
    date = DateField(label="Date")
    place = forms.CharField(label="Place", required=False, help_text="Town, county, country")
    age = forms.CharField(
        label="Age at the event",
        max_length=40,
        required=False,
        help_text="As the record gives it: 34, 2y 6m, CHILD, INFANT, STILLBORN",
    )
    description = forms.CharField(
        label="Description or value",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The occupation, title, residence address… or a few words on the event.",
    )

    def __init__(self, *args, for_family: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        tags = list(FAMILY_EVENT_TAGS if for_family else [t for t in PERSON_EVENT_TAGS if t[0] not in PERSON_ROW_TAGS])
        current = self.initial.get("tag")
        if current and current not in dict(tags):
            # An imported event of a tag the form does not offer (a second BIRT, say) can still be edited.
            tags.insert(0, (current, event_label(current)))
        self.fields["tag"].choices = tags
        if for_family:
            del self.fields["age"]  # GEDCOM records ages at a family event per partner, not for the family
        else:
            self.fields["tag"].help_text = "Birth and death are edited with the person."


class NoteForm(EditForm):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 6}))
