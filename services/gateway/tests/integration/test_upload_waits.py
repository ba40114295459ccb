"""The insurer's year files (建议清册, 社保在职人数) are read and saved in the request — 50,000 rows take
about a minute — so the gateway waits for them as long as for a file (upstream_file_timeout_seconds),
not the enrollment API's own wait; a list call keeps the API wait. Enrollment is a fake that records
the read timeout each request was sent with."""

from __future__ import annotations

import httpx

from localstack import Tansu
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, SeedAccount, gateway_settings, start_gateway

API = "/api/mutual-aid"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_year_file_uploads_wait_as_long_as_files_and_lists_as_the_api(
    database: str, broker: Tansu, redis_url: str, redis_prefix: str
) -> None:
    waits: dict[str, float] = {}

    def enrollment(request: httpx.Request) -> httpx.Response:
        waits[request.url.path] = request.extensions["timeout"]["read"]
        return httpx.Response(200, json={"rows": 1, "items": [], "total": 0, "page": 1, "size": 15})

    settings = gateway_settings(
        database, broker, redis_url, redis_prefix, enrollment_timeout_seconds=30, upstream_file_timeout_seconds=180
    )
    async with start_gateway(settings, {"enrollment": httpx.MockTransport(enrollment)}) as gw:
        await gw.seed(SeedAccount("zhibao", PASSWORD, Tier.INSURER))
        insurer = await gw.signed_in("zhibao")
        sent = {"params": {"file_name": "x.xlsx"}, "headers": {"Content-Type": XLSX}}
        for what in ("suggested", "headcounts"):
            r = await insurer.post(f"{API}/years/2027/{what}/upload", content=b"PK\x03\x04", **sent)
            assert r.status_code == 200, r.text
            r = await insurer.get(f"{API}/years/2027/{what}")
            assert r.status_code == 200, r.text

    assert waits == {
        "/mutual-aid/years/2027/suggested/upload": 180,
        "/mutual-aid/years/2027/suggested": 30,
        "/mutual-aid/years/2027/headcounts/upload": 180,
        "/mutual-aid/years/2027/headcounts": 30,
    }
