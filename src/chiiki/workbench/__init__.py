"""``chiiki.Workbench`` — the one door to chiiki, as ``sqlite_utils.Database`` is to sqlite-utils.

Every policy lives behind it: what an import refreshes, what a viewer may see, which chapters a
report has. The CLI and the web app are thin clients: they parse input, make one Workbench call
and format the result. No ORM object leaves it; every result has ``to_dict()``.

    from chiiki import Workbench
    wb = Workbench.open("survey.db", lang="en")
    wb.init()                                   # schema + the bundled, source-cited data
    wb.import_file("adoptions_cp932.csv")       # one transaction, hubs refreshed inside
    analysis = wb.analyse(window=5)
    wb.report("out/")

The methods are grouped by domain in the ``*_api`` modules beside this one.
"""

from __future__ import annotations

from chiiki.workbench.accounts_api import AccountsMethods, UserInfo
from chiiki.workbench.core import WorkbenchCore
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.factors_api import FactorsMethods
from chiiki.workbench.hearings_api import HearingsMethods
from chiiki.workbench.registry_api import RegistryMethods
from chiiki.workbench.report_api import ReportMethods
from chiiki.workbench.settings import Settings
from chiiki.workbench.text_api import TextMethods

__all__ = ["Settings", "UserInfo", "Workbench", "WorkbenchError"]


class Workbench(
    RegistryMethods, FactorsMethods, HearingsMethods, TextMethods, ReportMethods, AccountsMethods, WorkbenchCore
):
    """Database + language + what the caller may see; see the module docstring."""
