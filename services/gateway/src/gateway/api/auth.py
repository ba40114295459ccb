"""登录: captcha, login, logout, the current user, changing one's password."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from runtime.db import Session

from ..domain.lockout import LockoutPolicy
from ..models import Account, CaptchaPublic, Credentials, Me, PasswordChange
from ..service import auth, users
from ..service.auth import LoginGuards
from ..service.sessions import SessionStore
from .deps import COOKIE, AppClock, SessionUser, Settings, client_ip

router = APIRouter(prefix="/api", tags=["identity"])


def guards(request: Request) -> LoginGuards:
    s = request.app.state.settings
    return LoginGuards(
        captchas=request.app.state.captchas,
        limiter=request.app.state.limiter,
        lockout=LockoutPolicy(s.lockout_threshold, timedelta(minutes=s.lockout_minutes)),
        per_ip=s.login_rate_per_ip,
        per_account=s.login_rate_per_account,
    )


@router.get("/captcha", response_model=CaptchaPublic, summary="获取验证码")
async def get_captcha(request: Request, settings: Settings) -> CaptchaPublic:
    await request.app.state.limiter.hit("captcha-ip", client_ip(request), settings.captcha_rate_per_ip)
    captcha_id, image = await request.app.state.captchas.issue()
    return CaptchaPublic(captcha_id=captcha_id, image=image)


@router.post("/auth/login", response_model=Me, summary="登录")
async def login(
    creds: Credentials, request: Request, response: Response, session: Session, settings: Settings, clock: AppClock
) -> Me:
    request.state.audit_account = creds.account.strip()
    account = await auth.login(session, creds, client_ip(request), guards(request), clock)
    assert account.id is not None
    request.state.audit_actor = (account.id, account.account, account.tier.value)
    sid = await request.app.state.session_store.open(account.id)
    response.set_cookie(COOKIE, sid, httponly=True, samesite="lax", secure=settings.session_cookie_secure, path="/")
    return await users.me(session, account)


@router.post("/auth/logout", status_code=204, summary="退出登录")
async def logout(request: Request, response: Response, session: Session) -> None:
    sid = request.cookies.get(COOKIE)
    store: SessionStore = request.app.state.session_store
    owner = await store.owner(sid) if sid else None
    if sid and owner is not None:
        account = await session.get(Account, owner)  # the operation log names who logged out
        request.state.audit_actor = (owner, account.account, account.tier.value) if account else (owner, None, None)
        await store.close(sid, owner)
    response.delete_cookie(COOKIE, path="/")


@router.post("/auth/logout-all", status_code=204, summary="退出全部登录")
async def logout_all(user: SessionUser, request: Request, response: Response) -> None:
    assert user.account.id is not None
    await request.app.state.session_store.close_all(user.account.id)
    response.delete_cookie(COOKIE, path="/")


@router.get("/me", response_model=Me, summary="当前用户")
async def get_me(user: SessionUser, session: Session) -> Me:
    return await users.me(session, user.account)


@router.post("/auth/password", status_code=204, summary="修改密码")
async def change_password(
    data: PasswordChange, user: SessionUser, request: Request, session: Session, settings: Settings, clock: AppClock
) -> None:
    assert user.account.id is not None
    await auth.change_password(
        session, user.account.id, data.old_password, data.new_password, settings.password_policy, clock
    )
    # Whoever else held this account's sessions (the reason to change it, maybe) is signed out.
    await request.app.state.session_store.close_all(user.account.id, keep=user.sid)
