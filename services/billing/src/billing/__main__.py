"""`python -m billing`: serve the billing service on its port."""

import uvicorn

from .main import create_app
from .settings import BillingSettings

if __name__ == "__main__":
    settings = BillingSettings()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_config=None)
