"""`python -m gateway`: serve the gateway (API and the built web UI) on its port."""

import uvicorn

from .main import create_app
from .settings import GatewaySettings

if __name__ == "__main__":
    settings = GatewaySettings()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_config=None, proxy_headers=False)
