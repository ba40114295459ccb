"""`python -m org`: serve the org service on its port."""

import uvicorn

from .main import create_app
from .settings import OrgSettings

if __name__ == "__main__":
    settings = OrgSettings()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_config=None)
