"""Mail to people outside the platform (the retiree plan's 经办人): pluggable like the SMS sender.

The local sender writes the mail to the service log (the address masked); a real one (SMTP, a mail API)
plugs in by `ENROLLMENT_MAIL_SENDER` without the use cases changing.
"""

from __future__ import annotations

from typing import Protocol

from runtime.logs import get_logger

from ..settings import EnrollmentSettings

log = get_logger(__name__)


class MailSender(Protocol):
    async def send(self, to: str, subject: str, text: str) -> None: ...


class LogMailSender:
    """The local sender: the mail goes to the service log, not to a mailbox."""

    async def send(self, to: str, subject: str, text: str) -> None:
        log.info("mail.sent", to=mask_email(to), subject=subject, text=text)


def mask_email(address: str) -> str:
    """handler@example.com → h***@example.com: the log shows which mailbox, not whose."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


def mail_sender_from(settings: EnrollmentSettings) -> MailSender:
    # one kind so far ("log"); the setting is a Literal, so an unknown kind stops the process at start
    return LogMailSender()
