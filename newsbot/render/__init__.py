"""JavaScript pages with scrapy-playwright: render only the pages that need it.

* :mod:`newsbot.render.config`: ``NEWSBOT_RENDER_*``/``NEWSBOT_CHROMIUM`` settings, and the
  download handlers and scrapy-playwright settings they imply (applied by the newsbot add-on);
* :mod:`newsbot.render.escalation`: which requests a spider renders (``render_kinds``,
  listings with scripts but no entries);
* :mod:`newsbot.render.abort`: the ``PLAYWRIGHT_ABORT_REQUEST`` predicate;
* :mod:`newsbot.render.handler`: scrapy-playwright's download handler, started on first use;
* :mod:`newsbot.render.memory`: scrapy-playwright's memory-usage extension, finding the browser
  even behind a handler that wraps scrapy-playwright's.

The README section "JavaScript pages" lists the settings and stats.
"""

from __future__ import annotations

from newsbot.render.config import RenderConfig, RenderSettingError, configure
from newsbot.render.escalation import Renderer

__all__ = ["RenderConfig", "RenderSettingError", "Renderer", "configure"]
