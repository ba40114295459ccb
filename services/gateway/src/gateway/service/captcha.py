"""验证码: a 4-character image; the answer waits in Redis for a few minutes and is good once."""

from __future__ import annotations

import asyncio
import base64
import secrets
from dataclasses import dataclass

from captcha.image import ImageCaptcha
from redis.asyncio import Redis

from ..errors import WrongAnswer

# Without 0/O, 1/I/L: characters people confuse on a noisy image.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 4


@dataclass(frozen=True)
class CaptchaStore:
    redis: Redis
    prefix: str
    ttl_seconds: int
    fixed_code: str | None = None

    def _key(self, captcha_id: str) -> str:
        return f"{self.prefix}captcha:{captcha_id}"

    async def issue(self) -> tuple[str, str]:
        """A new captcha: its id and the PNG as a data URL."""
        code = self.fixed_code or "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        captcha_id = secrets.token_urlsafe(16)
        await self.redis.set(self._key(captcha_id), code.lower(), ex=self.ttl_seconds)
        png = await asyncio.to_thread(_render, code)
        return captcha_id, "data:image/png;base64," + base64.b64encode(png).decode()

    async def answer(self, captcha_id: str) -> str | None:
        """What the image shows (tests and the e2e runner read it; users cannot)."""
        value = await self.redis.get(self._key(captcha_id))
        return value.decode() if isinstance(value, bytes) else value

    async def check(self, captcha_id: str, code: str) -> None:
        """Consumes the captcha whatever the outcome, so one image allows exactly one guess."""
        expected = await self.redis.getdel(self._key(captcha_id))
        if expected is None:
            raise WrongAnswer("auth.captcha_wrong", "验证码已过期，请刷新后重新输入", field="captcha_code")
        if isinstance(expected, bytes):
            expected = expected.decode()
        if not secrets.compare_digest(expected, code.strip().lower()):
            raise WrongAnswer("auth.captcha_wrong", "验证码错误，请重新输入", field="captcha_code")


def _render(code: str) -> bytes:
    return ImageCaptcha(width=120, height=48).generate(code).getvalue()
