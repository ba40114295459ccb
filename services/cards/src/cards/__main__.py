"""`python -m cards`: serve the cards service on its port."""

import uvicorn

from .main import create_app
from .settings import CardsSettings

if __name__ == "__main__":
    settings = CardsSettings()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_config=None)
