"""Pages that only send the reader elsewhere by script: where to, when it is sure.

Some 200 pages are redirects written for browsers (scrapy/scrapy#1422)::

    <script>window.location.replace("/fr/h24info/1165387");</script>
    <noscript><meta http-equiv="refresh" content="0;url=/fr/h24info/1165387"></noscript>

Scrapy's ``MetaRefreshMiddleware`` skips a refresh inside ``<noscript>`` on purpose
(``METAREFRESH_IGNORE_TAGS``): many sites send clients without JavaScript to a "please enable
JavaScript" page that way, and a page with JavaScript may well stay where it is. So
:func:`script_redirect` calls a page a redirect only when it is sure every reader is sent to
one place: either the script and the ``<noscript>`` refresh name the same URL, or the page
has no text of its own to read (:data:`STUB_TEXT_CHARS`) besides a script location change or
a ``<noscript>`` refresh. A script that changes ``location`` in an ordinary page (a mobile
switch, a click handler) is never followed.

Script location changes read: ``[window.|document.|top.|self.]location[.href] = "URL"`` and
``location.replace("URL")`` / ``location.assign("URL")``, with a string literal URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapy.http import TextResponse
from w3lib.html import get_meta_refresh
from w3lib.url import safe_url_string

STUB_TEXT_CHARS = 200
"""A page with less text than this (outside scripts, styles and ``<noscript>``) is a redirect
stub when it carries a redirect."""

_QUOTED = r"""(["'])((?:(?!\1)[^\\\n]|\\.){1,2000})\1"""  # a JS string literal: quote, text, same quote
# Both start with the literal "location" (the regex engine then skips to it fast); what may stand
# before it (an owner such as "window.", never another name ending in "location") is checked by _OWNER.
_SCRIPT_LOCATIONS = (
    re.compile(rf"location(?:\s*\.\s*href)?\s*=(?!=)\s*{_QUOTED}"),  # location[.href] = "URL"
    re.compile(rf"location\s*\.\s*(?:replace|assign)\s*\(\s*{_QUOTED}\s*\)"),  # location.replace("URL")
)
_OWNER = re.compile(r"(?:^|[^\w.$])(?:(?:window|document|top|self|parent)\s*\.\s*)?$")
_REFRESH = re.compile(r"""http-equiv\s*=\s*["']?refresh""", re.I)
_NOT_TEXT = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"


@dataclass(frozen=True)
class ScriptRedirect:
    """Where a redirect page sends its readers: ``url`` (absolute) and ``how`` (``script``,
    ``noscript refresh``, or ``script and noscript refresh``)."""

    url: str
    how: str


def script_location(script: str) -> str | None:
    """The URL a script sends the page to with a string literal, or None.

    >>> script_location('window.location.replace("/fr/h24info/1");')
    '/fr/h24info/1'
    >>> script_location("document.location.href = 'https:\\\\/\\\\/www.maghress.com\\\\/fr\\\\/';")
    'https://www.maghress.com/fr/'
    >>> script_location('if (location.href == "x") {}; mylocation = "y"; location.hash = "#top"') is None
    True
    """
    found = sorted((m for pattern in _SCRIPT_LOCATIONS for m in pattern.finditer(script)
                    if _OWNER.search(script, max(0, m.start() - 40), m.start())), key=lambda m: m.start())
    if not found:
        return None
    url = found[0].group(2)  # the first one in the script
    return url.replace("\\/", "/").strip() or None


def script_redirect(response: TextResponse) -> ScriptRedirect | None:
    """Where the page ``response`` sends every reader, when it is a redirect page (see the
    module docstring), else None. The cheap test comes first: a page whose text has no
    location change to a string and no meta refresh is not parsed (an ordinary page costs
    two regular expression scans).

    >>> from scrapy.http import HtmlResponse
    >>> page = HtmlResponse("https://www.maghress.com/fr/x/1", encoding="utf-8", body=(
    ...     b'<html><head><script>window.location.replace("/fr/x/2")</script><noscript>'
    ...     b'<meta http-equiv="refresh" content="0;url=/fr/x/2"></noscript></head><body></body></html>'))
    >>> script_redirect(page)
    ScriptRedirect(url='https://www.maghress.com/fr/x/2', how='script and noscript refresh')
    """
    text = response.text
    if "location" not in text and not ("efresh" in text or "EFRESH" in text):
        return None
    if script_location(text) is None and not _REFRESH.search(text):
        return None
    scripted = None
    for script in response.xpath("//script[not(@src)]/text()").getall():
        scripted = script_location(script)
        if scripted:
            scripted = response.urljoin(safe_url_string(scripted))
            break
    # w3lib's, not Scrapy's: Scrapy's caches its first answer per response, given while ignoring <noscript>
    _, refreshed = get_meta_refresh(text, response.url, response.encoding, ignore_tags=())
    if scripted and refreshed and scripted == refreshed:
        return ScriptRedirect(scripted, "script and noscript refresh")
    if not (scripted or refreshed):
        return None
    words = " ".join(" ".join(response.xpath(f"//body//text()[not({_NOT_TEXT})]").getall()).split())
    if len(words) >= STUB_TEXT_CHARS:
        return None
    return ScriptRedirect(scripted, "script") if scripted else ScriptRedirect(refreshed, "noscript refresh")
