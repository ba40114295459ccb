"""Problems the gateway raises beyond runtime's: each status says what the client can do next."""

from __future__ import annotations

from runtime.errors import DomainError


class WrongAnswer(DomainError):
    """A captcha or a password the user typed wrong: try again."""

    status = 400


class Unknown(DomainError):
    """Something the request names that the gateway does not know, with a code of its own."""

    status = 404


class Locked(DomainError):
    status = 423


class RateLimited(DomainError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("auth.rate_limited", f"操作过于频繁，请 {retry_after} 秒后再试", retry_after=retry_after)


class ServiceUnavailable(DomainError):
    status = 503
