"""Enrollment tables: the programme model, the projections from other services, and the enrollment flow
(submissions → review → batches). API shapes live in `schemas`. Money is integer fen."""

from .codes import (
    CodeApplication,
    CodeAttachment,
    CodeHandler,
    CodeHistory,
    CodeUnit,
    EnrollmentCode,
    NameChange,
    SmsCode,
)
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
from .mutual_aid import (
    Attachment,
    BatchNumbers,
    CheckJob,
    EmploymentCheck,
    MutualAidBatch,
    MutualAidRules,
    Operation,
    RosterImport,
    RosterRejection,
    RosterRow,
    SuggestedPerson,
    UnitHeadcount,
)
from .programmes import DistrictSplit, GuaranteeType, Programme, ProgrammeWindow, ProgrammeYear
from .projections import CardRef, MemberRef, OrgRef, SocialCheck, SocialFact
from .retiree import (
    RetireeAttachment,
    RetireeBatch,
    RetireeBatchNumbers,
    RetireeCheck,
    RetireeHeadcount,
    RetireeImport,
    RetireeNameChange,
    RetireeNotice,
    RetireeOperation,
    RetireePerson,
    RetireeRejection,
    RetireeRules,
    RetireeUnit,
    RetireeUnitFile,
    RetireeWithholding,
)

__all__ = [
    "Batch", "BatchCounter", "CardRef", "Confirmation", "DistrictSplit", "Enrollment", "EnrollmentRequest",
    "Exclusion", "GuaranteeType", "IdempotencyRecord", "MemberRef", "Notice", "OrgRef", "Programme",
    "ProgrammeWindow", "ProgrammeYear", "SocialCheck", "SocialFact", "Submission",
    # 互助保障 参保编码
    "CodeApplication", "CodeAttachment", "CodeHandler", "CodeHistory", "CodeUnit", "EnrollmentCode", "NameChange",
    "SmsCode",
    # mutual-aid 2020
    "Attachment", "BatchNumbers", "CheckJob", "EmploymentCheck", "MutualAidBatch", "MutualAidRules", "Operation",
    "RosterImport", "RosterRejection", "RosterRow", "SuggestedPerson", "UnitHeadcount",
    # 退休住院计划
    "RetireeAttachment", "RetireeBatch", "RetireeBatchNumbers", "RetireeCheck", "RetireeHeadcount", "RetireeImport",
    "RetireeNameChange", "RetireeNotice", "RetireeOperation", "RetireePerson", "RetireeRejection", "RetireeRules",
    "RetireeUnit", "RetireeUnitFile", "RetireeWithholding",
]  # fmt: skip
