"""Lineage records: persons and their names, families, child links, notes, sources and citations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from cases.genealogy.names import name_display, name_part_clean
from cases.models.trees import Tree, tree_in_use_get
from genetics import parameters


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    INTERSEX = "X", "Intersex / other"
    UNKNOWN = "U", "Unknown"


class Ancestry(models.TextChoices):
    """Gene-pool ancestry groups (FairFace labels); recorded only where the records say so."""

    WHITE = "White", "White"
    BLACK = "Black", "Black"
    LATINO_HISPANIC = "Latino_Hispanic", "Latino / Hispanic"
    EAST_ASIAN = "East Asian", "East Asian"
    SOUTHEAST_ASIAN = "Southeast Asian", "Southeast Asian"
    INDIAN = "Indian", "Indian"
    MIDDLE_EASTERN = "Middle Eastern", "Middle Eastern"


class Person(models.Model):
    """One individual in a tree.

    Dates are genealogical: ``*_date`` keeps the phrase exactly as recorded ("ABT 1901",
    "BET 1850 AND 1855"), ``*_date_start``/``*_date_end`` the earliest and latest day it allows
    (for sorting, ages and the living rule). ``estimated_birth_year`` is derived by the services
    from the person's own birth or, when missing, from relatives' dates.
    """

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="persons")
    given_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200, blank=True, db_index=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.CharField(max_length=100, blank=True)
    birth_date_start = models.DateField(null=True, blank=True)
    birth_date_end = models.DateField(null=True, blank=True)
    birth_place = models.CharField(max_length=300, blank=True)
    death_date = models.CharField(max_length=100, blank=True)
    death_date_start = models.DateField(null=True, blank=True)
    death_date_end = models.DateField(null=True, blank=True)
    death_place = models.CharField(max_length=300, blank=True)
    is_deceased = models.BooleanField(
        default=False,
        help_text="Known to have died, even when no death date is recorded.",
    )
    living_override = models.BooleanField(
        null=True,
        blank=True,
        help_text="Force living (true) or not living (false); empty applies the automatic rule.",
    )
    estimated_birth_year = models.SmallIntegerField(null=True, blank=True, editable=False)
    ancestry = models.CharField(
        max_length=20,
        choices=Ancestry.choices,
        blank=True,
        help_text="Sensitive: only as the records state it; used as the gene-pool key for generation.",
    )
    hair_colour = models.CharField(
        max_length=20,
        choices=list(parameters.HAIR_COLOURS.items()),
        blank=True,
        help_text=(
            "Natural hair colour as a young adult, as the records or the family state it; passed on to "
            "generated candidates instead of the colour read from a photo (a hat, grey hair or a tight "
            "crop hides it)."
        ),
    )
    is_hypothetical = models.BooleanField(
        default=False,
        help_text="A placeholder child with no lineage record (e.g. for generation).",
    )
    portrait_face = models.ForeignKey("cases.Face", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    gedcom_xref = models.CharField(max_length=40, blank=True)
    gedcom_data = models.JSONField(
        default=dict, blank=True, help_text="GEDCOM substructures Kinship does not model, kept for export."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surname", "given_names", "pk"]
        indexes = [models.Index(fields=["tree", "surname", "given_names"])]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", kwargs={"tree_id": self.tree_id, "person_id": self.pk})

    def clean(self) -> None:
        if self.portrait_face_id and self.portrait_face.person_id not in (None, self.pk):
            raise ValidationError({"portrait_face": "That face is assigned to someone else."})

    @property
    def display_name(self) -> str:
        """Return the name as the tree's name format shows it, wherever a person is named."""
        name = name_display(self.given_names, self.surname, name_format=self.name_format)
        return name or "(no name)"

    @property
    def name_format(self) -> str:
        """Return the tree's name format, from a tree already loaded whenever there is one."""
        if Person.tree.is_cached(self):
            return self.tree.effective_name_format
        tree = tree_in_use_get(self.tree_id) if self.tree_id else None
        if tree is not None:
            return tree.effective_name_format
        return self.tree.effective_name_format if self.tree_id else settings.KINSHIP_NAME_FORMAT


class NameType(models.TextChoices):
    BIRTH = "birth", "Birth name"
    MARRIED = "married", "Married name"
    AKA = "aka", "Also known as"
    RELIGIOUS = "religious", "Religious name"
    OTHER = "other", "Other"


class PersonName(models.Model):
    """An alternate name of a person (the primary one lives on :class:`Person`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="alternate_names")
    name_type = models.CharField(max_length=20, choices=NameType.choices, default=NameType.AKA)
    prefix = models.CharField(max_length=50, blank=True)
    given_names = models.CharField(max_length=200, blank=True)
    nickname = models.CharField(max_length=100, blank=True)
    surname_prefix = models.CharField(max_length=50, blank=True)
    surname = models.CharField(max_length=200, blank=True)
    suffix = models.CharField(max_length=50, blank=True)
    gedcom_data = models.JSONField(
        default=dict, blank=True, help_text="GEDCOM substructures Kinship does not model, kept for export."
    )

    class Meta:
        ordering = ["person", "pk"]

    def __str__(self) -> str:
        parts = (
            self.prefix,
            self.given_names,
            self.nickname and f"“{self.nickname}”",
            self.surname_prefix,
            self.surname,
            self.suffix,
        )
        return " ".join(name_part_clean(part) for part in parts if part)


class FamilyType(models.TextChoices):
    MARRIED = "married", "Married"
    CIVIL_UNION = "civil_union", "Civil union"
    PARTNERS = "partners", "Partners"
    UNKNOWN = "unknown", "Unknown"


class Family(models.Model):
    """A union of up to two partners and the children linked to it."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="families")
    partner1 = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="families_as_partner1"
    )
    partner2 = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="families_as_partner2"
    )
    family_type = models.CharField(max_length=20, choices=FamilyType.choices, default=FamilyType.UNKNOWN)
    start_date = models.CharField(max_length=100, blank=True)
    start_date_start = models.DateField(null=True, blank=True)
    start_date_end = models.DateField(null=True, blank=True)
    end_date = models.CharField(max_length=100, blank=True)
    end_date_start = models.DateField(null=True, blank=True)
    end_date_end = models.DateField(null=True, blank=True)
    gedcom_xref = models.CharField(max_length=40, blank=True)
    gedcom_data = models.JSONField(
        default=dict, blank=True, help_text="GEDCOM substructures Kinship does not model, kept for export."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "families"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(partner1=models.F("partner2")) | models.Q(partner1__isnull=True),
                name="family_partners_differ",
            ),
        ]

    def __str__(self) -> str:
        names = [p.display_name for p in (self.partner1, self.partner2) if p is not None]
        return " & ".join(names) or f"Family {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("family-detail", kwargs={"tree_id": self.tree_id, "family_id": self.pk})

    def clean(self) -> None:
        for field in ("partner1", "partner2"):
            partner = getattr(self, field)
            if partner is not None and partner.tree_id != self.tree_id:
                raise ValidationError({field: "Partners must belong to the family's tree."})

    @property
    def partners_father_first(self) -> list[Person]:
        """Return the recorded partners in generation order: the "father" input first, then the "mother".

        The partner recorded as male is the father and one recorded female the mother; without
        recorded sexes, partner 1 then partner 2. The one rule for jobs, case settings and the dialog.
        """
        partners = [p for p in (self.partner1, self.partner2) if p is not None]
        if len(partners) == 2 and (partners[0].sex == "F" or partners[1].sex == "M"):
            partners.reverse()
        return partners


class Pedigree(models.TextChoices):
    BIRTH = "birth", "Birth"
    ADOPTED = "adopted", "Adopted"
    FOSTER = "foster", "Foster"
    STEP = "step", "Step"
    UNKNOWN = "unknown", "Unknown"


class ChildLink(models.Model):
    """A child of a family; only ``birth`` links feed face synthesis."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="parent_links")
    pedigree = models.CharField(max_length=10, choices=Pedigree.choices, default=Pedigree.BIRTH)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["family", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["family", "child"], name="childlink_unique_child_per_family"),
        ]

    def __str__(self) -> str:
        return f"{self.child} ({self.pedigree}) of {self.family}"


class Note(models.Model):
    """A free-text note on a person or a family."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    family = models.ForeignKey(Family, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    gedcom_xref = models.CharField(max_length=40, blank=True, help_text="The shared GEDCOM note this came from.")
    gedcom_data = models.JSONField(
        default=dict, blank=True, help_text="GEDCOM substructures Kinship does not model, kept for export."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(family__isnull=False),
                name="note_attached_to_something",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Repository(models.Model):
    """Where sources are kept: an archive, a library, a record office, a website."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="repositories")
    name = models.CharField(max_length=300)
    address = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "repositories"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """A source of genealogical evidence (a register, a census, a book)."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200, blank=True)
    publication = models.CharField(max_length=300, blank=True)
    repository = models.ForeignKey(Repository, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    gedcom_xref = models.CharField(max_length=40, blank=True)
    gedcom_data = models.JSONField(
        default=dict, blank=True, help_text="GEDCOM substructures Kinship does not model, kept for export."
    )

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class CitedFact(models.TextChoices):
    """The facts kept on the person or family row itself (other facts are :class:`~cases.models.Event` rows)."""

    WHOLE = "", "The record as a whole"
    BIRTH = "BIRT", "Birth"
    DEATH = "DEAT", "Death"
    MARRIAGE = "MARR", "Marriage"
    DIVORCE = "DIV", "Divorce"


class Citation(models.Model):
    """A reference from a person or family, or one of their facts or events, to a place in a source.

    ``person``/``family`` is always set (the owner); ``event`` or ``fact`` narrows it to one fact.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    family = models.ForeignKey(Family, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    event = models.ForeignKey("cases.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    fact = models.CharField(max_length=8, choices=CitedFact.choices, blank=True)
    page = models.CharField(max_length=300, blank=True)
    quality = models.PositiveSmallIntegerField(null=True, blank=True, help_text="GEDCOM QUAY 0–3.")
    text = models.TextField(blank=True)
    gedcom_data = models.JSONField(
        default=dict, blank=True, help_text="GEDCOM substructures Kinship does not model, kept for export."
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(family__isnull=False),
                name="citation_attached_to_something",
            ),
            models.CheckConstraint(
                condition=models.Q(quality__lte=3) | models.Q(quality__isnull=True), name="citation_quality_0_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.page}" if self.page else str(self.source)
