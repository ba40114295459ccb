"""`python -m socialsec`: serve the reference social-security adapter on its port."""

import uvicorn

from .main import create_app
from .settings import SocialsecSettings

if __name__ == "__main__":
    settings = SocialsecSettings()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_config=None)
