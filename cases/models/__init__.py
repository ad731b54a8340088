"""Kinship's models, one module per part of the domain."""

from cases.models.photos import Face, Photo
from cases.models.records import ChildLink, Citation, Family, Note, Person, PersonName, Source
from cases.models.trees import Membership, Role, Tree

__all__ = [
    "ChildLink", "Citation", "Face", "Family", "Membership", "Note", "Person", "PersonName",
    "Photo", "Role", "Source", "Tree",
]
