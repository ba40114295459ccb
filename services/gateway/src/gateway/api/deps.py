"""What routes receive: the signed-in user (from the `sid` cookie), tier checks, the wiring."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Request

from runtime.clock import Clock
from runtime.errors import Forbidden, Unauthorized
from runtime.tokens import Tier

from ..domain import access
from ..service import users
from ..service.sessions import SessionExpired, SessionStore
from ..service.upstream import Upstream
from ..service.users import User
from ..settings import GatewaySettings

COOKIE = "sid"


def client_ip(request: Request) -> str:
    settings: GatewaySettings = request.app.state.settings
    forwarded = request.headers.get("x-forwarded-for")
    if settings.trust_forwarded_for and forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


async def session_user(request: Request) -> User:
    """The account behind the cookie. Its own short DB session: use cases open their transaction later."""
    sid = request.cookies.get(COOKIE)
    if not sid:
        raise Unauthorized("session.missing", "请先登录")
    store: SessionStore = request.app.state.session_store
    try:
        login = await store.resume(sid)
    except SessionExpired:
        login = None
    if login is None:
        raise Unauthorized("session.expired", "登录已超时，请重新登录")
    async with request.app.state.sessions() as session:
        user = await users.load(session, login.account_id, sid)
    if user is None:  # disabled or removed since it logged in
        await store.close(sid, login.account_id)
        raise Unauthorized("session.expired", "登录已失效，请重新登录")
    request.state.audit_actor = (user.account.id, user.account.account, user.account.tier.value)
    return user


SessionUser = Annotated[User, Depends(session_user)]


async def active_user(user: SessionUser) -> User:
    """Everything but /api/me and /api/auth/* waits until a temporary password was replaced."""
    if user.account.must_change_password:
        raise Forbidden("password.change_required", "首次登录或密码被重置后，请先修改密码")
    return user


def allowed(tiers: Iterable[Tier]) -> Any:
    permitted = frozenset(tiers)

    async def check(user: Annotated[User, Depends(active_user)]) -> User:
        if user.account.tier not in permitted:
            raise Forbidden("tier.forbidden", "当前账号无权使用该功能")
        return user

    return Depends(check)


OrgReader = Annotated[User, allowed(access.ORG_READERS)]
OrgEditor = Annotated[User, allowed(access.ORG_EDITORS)]
OrgMover = Annotated[User, allowed(access.ORG_MOVERS)]
EnterpriseReader = Annotated[User, allowed(access.ENTERPRISE_READERS)]
AccountManager = Annotated[User, allowed(access.ACCOUNT_MANAGERS)]
RegistrationReader = Annotated[User, allowed(access.REGISTRATION_READERS)]
RegistrationReviewer = Annotated[User, allowed(access.REGISTRATION_REVIEWERS)]
PasswordResetReviewer = Annotated[User, allowed(access.PASSWORD_RESET_REVIEWERS)]
AuditReader = Annotated[User, allowed(access.AUDIT_READERS)]
WorkbenchUser = Annotated[User, allowed(access.WORKBENCH_USERS)]
JoinsReader = Annotated[User, allowed(access.JOINS_READERS)]
MemberReader = Annotated[User, allowed(access.MEMBER_READERS)]
MemberEditor = Annotated[User, allowed(access.MEMBER_EDITORS)]
EnrollmentReader = Annotated[User, allowed(access.ENROLLMENT_READERS)]
UnionStaff = Annotated[User, allowed(access.UNION_STAFF)]
ProgrammeEditor = Annotated[User, allowed(access.PROGRAMME_EDITORS)]
SplitSetter = Annotated[User, allowed(access.SPLIT_SETTERS)]
EnrollingUnion = Annotated[User, allowed(access.ENROLLING_UNIONS)]
EnrollmentReviewer = Annotated[User, allowed(access.ENROLLMENT_REVIEWERS)]
BatchSubmitter = Annotated[User, allowed(access.BATCH_SUBMITTERS)]
BatchReader = Annotated[User, allowed(access.BATCH_READERS)]
LapseRunner = Annotated[User, allowed(access.LAPSE_RUNNERS)]
CardReader = Annotated[User, allowed(access.CARD_READERS)]
CardManager = Annotated[User, allowed(access.CARD_MANAGERS)]
CardRevocationReviewer = Annotated[User, allowed(access.CARD_REVOCATION_REVIEWERS)]
BillingReader = Annotated[User, allowed(access.BILLING_READERS)]
BillingPayer = Annotated[User, allowed(access.BILLING_PAYERS)]
BillingInsurer = Annotated[User, allowed(access.BILLING_INSURERS)]
MutualAidUnit = Annotated[User, allowed(access.MUTUAL_AID_UNITS)]
MutualAidReviewer = Annotated[User, allowed(access.MUTUAL_AID_REVIEWERS)]
MutualAidReader = Annotated[User, allowed(access.MUTUAL_AID_READERS)]
MutualAidBatchReader = Annotated[User, allowed(access.MUTUAL_AID_BATCH_READERS)]
RetireeAccountManager = Annotated[User, allowed(access.RETIREE_ACCOUNT_MANAGERS)]
RetireeUnit = Annotated[User, allowed(access.RETIREE_UNITS)]
RetireeInsurer = Annotated[User, allowed(access.RETIREE_INSURERS)]
RetireeYearEditor = Annotated[User, allowed(access.RETIREE_YEAR_EDITORS)]
RetireeUnitReader = Annotated[User, allowed(access.RETIREE_UNIT_READERS)]
RetireeNameChangeReader = Annotated[User, allowed(access.RETIREE_NAME_CHANGE_READERS)]
RetireeReader = Annotated[User, allowed(access.RETIREE_READERS)]
RetireeHeadcountReader = Annotated[User, allowed(access.RETIREE_HEADCOUNT_READERS)]


def _clock(request: Request) -> Clock:
    return request.app.state.clock  # type: ignore[no-any-return]


def _settings(request: Request) -> GatewaySettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _org(request: Request) -> Upstream:
    return request.app.state.upstreams["org"]  # type: ignore[no-any-return]


def _members(request: Request) -> Upstream:
    return request.app.state.upstreams["members"]  # type: ignore[no-any-return]


def _enrollment(request: Request) -> Upstream:
    return request.app.state.upstreams["enrollment"]  # type: ignore[no-any-return]


def _cards(request: Request) -> Upstream:
    return request.app.state.upstreams["cards"]  # type: ignore[no-any-return]


def _billing(request: Request) -> Upstream:
    return request.app.state.upstreams["billing"]  # type: ignore[no-any-return]


AppClock = Annotated[Clock, Depends(_clock)]
Settings = Annotated[GatewaySettings, Depends(_settings)]
OrgService = Annotated[Upstream, Depends(_org)]
MembersService = Annotated[Upstream, Depends(_members)]
EnrollmentService = Annotated[Upstream, Depends(_enrollment)]
CardsService = Annotated[Upstream, Depends(_cards)]
BillingService = Annotated[Upstream, Depends(_billing)]


def add_targets(request: Request, *ids: str) -> None:
    """Ids the operation log should carry beyond those in the URL (what was created)."""
    request.state.audit_targets = [*getattr(request.state, "audit_targets", []), *ids]
