"""Starting a job from an upload: the file is checked, kept with its job, and the job queued — all
before the request returns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ..domain.upload import Limits, check_upload
from ..models import JobOwner, UploadedFile


@dataclass(frozen=True)
class Upload:
    file_name: str
    content_type: str
    content: bytes
    fields: dict[str, str]


def check(upload: Upload, limits: Limits) -> None:
    check_upload(upload.file_name, upload.content_type, upload.content, limits)


def new_job_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


def owner(caller: Principal, upload: Upload) -> dict[str, Any]:
    return JobOwner(
        file_name=upload.file_name[:200],
        uploader_id=caller.user_id,
        uploader_tier=caller.tier.value,
        uploader_org_id=caller.org_id,
        uploader_org_path=caller.org_path,
    ).model_dump()


def keep(session: AsyncSession, job_id: str, upload: Upload) -> None:
    session.add(UploadedFile(job_id=job_id, content=upload.content))


def principal_of(job: JobOwner) -> Principal:
    return Principal(
        user_id=job.uploader_id, tier=job.uploader_tier, org_id=job.uploader_org_id, org_path=job.uploader_org_path
    )
