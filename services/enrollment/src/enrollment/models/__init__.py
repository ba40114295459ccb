"""Enrollment tables: the programme model, the projections from other services, and the enrollment flow
(submissions → review → batches). API shapes live in `schemas`. Money is integer fen."""

from .flow import (
    Batch,
    BatchCounter,
    Confirmation,
    Enrollment,
    EnrollmentRequest,
    Exclusion,
    IdempotencyRecord,
    Notice,
    Submission,
)
from .programmes import DistrictSplit, GuaranteeType, Programme, ProgrammeWindow, ProgrammeYear
from .projections import CardRef, MemberRef, OrgRef, SocialCheck, SocialFact

__all__ = [
    "Batch", "BatchCounter", "CardRef", "Confirmation", "DistrictSplit", "Enrollment", "EnrollmentRequest",
    "Exclusion", "GuaranteeType", "IdempotencyRecord", "MemberRef", "Notice", "OrgRef", "Programme",
    "ProgrammeWindow", "ProgrammeYear", "SocialCheck", "SocialFact", "Submission",
]  # fmt: skip
