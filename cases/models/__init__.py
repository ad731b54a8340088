"""Kinship's models, one module per part of the domain."""

from cases.models.audit import AccessLog, AuditAction, AuditChainHead, AuditEvent
from cases.models.casework import (
    Case,
    CaseAttachment,
    CaseGeneration,
    CaseReminder,
    CaseRestricted,
    CaseStatus,
    FoundPhotoRanking,
)
from cases.models.gedcom import Event, GedcomImport, GedcomRecord, ImportState
from cases.models.generation import Candidate, CandidateApproval, FaceEncoding, GenerationJob, JobState
from cases.models.history import ChangeAction, RecordChange, RecordChangePerson, RecordType
from cases.models.photos import Face, Photo
from cases.models.records import ChildLink, Citation, Family, Note, Person, PersonName, Repository, Source
from cases.models.trees import Membership, Role, Tree

__all__ = [
    "Case",
    "CaseAttachment",
    "CaseGeneration",
    "CaseReminder",
    "CaseRestricted",
    "CaseStatus",
    "FoundPhotoRanking",
    "AccessLog",
    "AuditAction",
    "AuditChainHead",
    "AuditEvent",
    "Candidate",
    "CandidateApproval",
    "FaceEncoding",
    "GenerationJob",
    "JobState",
    "ChildLink",
    "Citation",
    "Event",
    "GedcomImport",
    "GedcomRecord",
    "ImportState",
    "Face",
    "Family",
    "Membership",
    "Note",
    "Person",
    "PersonName",
    "Photo",
    "Repository",
    "Role",
    "Source",
    "Tree",
    "ChangeAction",
    "RecordChange",
    "RecordChangePerson",
    "RecordType",
]
