"""Reads that cross relations, limited to what the user may see (``<entity>_<action>``, keyword-only).

Every function takes the user's :class:`~cases.access.TreeAccess` (or a row already read through
one) so scope and living-person privacy are applied in one place, and issues a fixed number of
queries whatever the size of the tree. The names are re-exported here for ``selectors.person_get``.
"""

from cases.selectors.ages import age_on_photo, age_range_on_photo
from cases.selectors.audit import access_log_entries, audit_events, audit_events_redacted, audit_payload_rows
from cases.selectors.casework import (
    case_generations,
    case_get,
    case_list,
    case_rankings,
    case_reminder_get,
    tree_caseworkers,
)
from cases.selectors.generation import candidate_get, generation_job_get, generation_jobs
from cases.selectors.places import place_events, place_list
from cases.selectors.relationship import relationship_find
from cases.selectors.search import PersonQuery, person_find, surname_index
from cases.selectors.trees import (
    PRIVATE_NAME,
    FamilyPage,
    PersonPage,
    family_page,
    membership_list,
    membership_roles,
    person_get,
    person_page,
    person_queryset,
    photo_get,
    photo_hidden,
    photo_list,
    tree_list_for_user,
)

__all__ = [
    "PRIVATE_NAME",
    "FamilyPage",
    "PersonPage",
    "PersonQuery",
    "access_log_entries",
    "age_on_photo",
    "age_range_on_photo",
    "audit_events",
    "audit_events_redacted",
    "audit_payload_rows",
    "candidate_get",
    "case_generations",
    "case_get",
    "case_list",
    "case_rankings",
    "case_reminder_get",
    "family_page",
    "generation_job_get",
    "generation_jobs",
    "membership_list",
    "membership_roles",
    "person_find",
    "person_get",
    "person_page",
    "person_queryset",
    "photo_get",
    "photo_hidden",
    "photo_list",
    "place_events",
    "place_list",
    "relationship_find",
    "surname_index",
    "tree_caseworkers",
    "tree_list_for_user",
]
