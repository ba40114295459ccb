"""`python -m bank`: serve the reference bank adapter on its port."""

import uvicorn

from .main import create_app
from .settings import BankSettings

if __name__ == "__main__":
    settings = BankSettings()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_config=None)
