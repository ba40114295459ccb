"""`python -m enrollment`: serve the enrollment service on its port."""

import uvicorn

from .main import create_app
from .settings import EnrollmentSettings

if __name__ == "__main__":
    settings = EnrollmentSettings()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_config=None)
