"""A faithful local Google Sheets API v4 + Drive v3 + OAuth emulator for tests and demos.

    from sync.emulator import SheetsEmulator

    with SheetsEmulator() as emu:
        email = emu.create_service_account("sa.json")
        sid = emu.create_spreadsheet("Team", {"Projects": [["ID", "Project"]]},
                                     shared_with=[email])
        # point amtui / gspread at emu.base_url (sync.gclient.make_client(endpoint=...))

Run it standalone with ``python -m sync.emulator``.
"""

from .control import CONTROL_METHODS, DEFAULT_OWNER, RemoteEmulator
from .faults import RequestInfo
from .model import ApiError
from .server import DEFAULT_SERVICE_ACCOUNT, Hook, SheetsEmulator

__all__ = [
    "CONTROL_METHODS",
    "DEFAULT_OWNER",
    "DEFAULT_SERVICE_ACCOUNT",
    "ApiError",
    "Hook",
    "RemoteEmulator",
    "RequestInfo",
    "SheetsEmulator",
]
