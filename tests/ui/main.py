"""The app as NiceGUI's `user` fixture runs it: the data dir comes from EVAUS_DATA_DIR."""

from nicegui import ui

from evaus.settings import get_settings
from evaus.ui.app import prepare_database, startup

get_settings.cache_clear()
startup(prepare_database())
ui.run(storage_secret="test-secret", reload=False, language="fi")
