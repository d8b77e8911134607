"""Reading a page: the parsed document shared by every extractor (:class:`PageTree`), and
text out of lxml elements the way a reader sees lines (:func:`element_lines`)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from lxml import etree, html
from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.selector import Selector as ResponseSelector
from scrapy.utils.response import get_base_url
from w3lib.encoding import read_bom

from newsbot.family import selectors

if TYPE_CHECKING:
    from newsbot.pages.furniture import FurnitureBox, KnownFurniture

_BY_ID = etree.XPath("id($value)")  # libxml2's id table: no scan
# Class attributes holding a name, and their elements: only the few elements asked for become
# Python objects (a plain //*[@class] makes one per classed element of the page).
_HOLDING = etree.XPath("//@class[contains(., $name)]/..")
_HOLDING_ANY: dict[frozenset[str], etree.XPath] = {}
PROBE_CHARS = 7
"""Class names are looked for by their first this many characters: the four ``article*``
names of the template share one ``contains()`` test, which libxml2 runs on every class
attribute of the page (the exact token is checked in Python, on the few elements found)."""


def _holding_any(names: frozenset[str]) -> etree.XPath:
    """One XPath for the elements whose class attribute holds any of ``names`` (compiled once)."""
    if names not in _HOLDING_ANY:
        probes = sorted({name[:PROBE_CHARS] for name in names})
        test = " or ".join(f"contains(., '{probe}')" for probe in probes)
        # /descendant::*/@class is //@class visiting only elements, not every text node too.
        _HOLDING_ANY[names] = etree.XPath(f"/descendant::*/@class[{test}]/..")
    return _HOLDING_ANY[names]


# What parsel builds for an HTML selector (lxml.html's parser, recover, huge_tree), made once.
_HTML_PARSER = html.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
# Bytes that str.strip() removes and bytes.strip() keeps, when they open or close a body.
_UNICODE_ONLY_SPACE = frozenset(b"\x1c\x1d\x1e\x1f")


def parse_response(response: TextResponse, prepare: Callable[[bytes], bytes] | None = None) -> Selector:
    """The selector of a response, as Scrapy's ``Selector(response)`` builds it; for an HTML
    response in UTF-8, without decoding the body to text and encoding it back to UTF-8 for
    libxml2 (a 50 KB page costs 0.5 ms to parse and 0.08 ms more through text).

    The body goes to libxml2 as it is when nothing sets it apart from its decoded text: no
    NUL byte (parsel removes them from the text), no replacement character in the text (an
    invalid byte: the text has U+FFFD where libxml2 would see the byte) and ASCII at both ends
    that ``str.strip`` and ``bytes.strip`` treat alike. Any other response (another encoding,
    a byte-order mark, XML) goes through Scrapy's selector.

    ``prepare`` (optional) gets the body's bytes on that direct path, before libxml2 does, and
    returns the bytes to parse (:meth:`PageTree.__init__` cuts known furniture out there, which
    was read from a page that took the direct path: only the bytes left need checking).

    >>> from scrapy.http import HtmlResponse
    >>> parse_response(HtmlResponse("https://example.org/", body="<p>Fès</p>".encode(), encoding="utf-8")).css("p::text").get()
    'Fès'
    """
    return _parse_response(response, prepare)[0]


def _parse_response(response: TextResponse, prepare: Callable[[bytes], bytes] | None) -> tuple[Selector, str | None]:
    """:func:`parse_response`, and the response's :func:`base_url` when the body went to libxml2
    directly (None otherwise)."""
    if isinstance(response, HtmlResponse):
        body = response.body.strip()
        if (body and body[0] < 0x80 and body[-1] < 0x80 and body[0] not in _UNICODE_ONLY_SPACE
                and body[-1] not in _UNICODE_ONLY_SPACE and b"\x00" not in body
                and codecs.lookup(response.encoding).name == "utf-8"):
            parsed = prepare(body) if prepare is not None else body
            if _without_replacement(response, parsed):
                base = base_url(response)
                try:
                    root = parse_html_bytes(parsed, base_url=base)
                except etree.XMLSyntaxError:
                    root = None  # parsel's own handling (and error) below
                if root is not None:
                    return Selector(root=root, type="html"), base
    return ResponseSelector(response), None


def _without_replacement(response: TextResponse, parsed: bytes) -> bool:
    """True when the text of a UTF-8 ``response`` holds no U+FFFD (no invalid byte, no U+FFFD
    written), read from ``parsed``, the bytes that go to libxml2: what was cut out of them was
    checked on the page it was read from, and a cut falls between ASCII bytes, so validity
    adds up. The text is read instead when Scrapy has decoded it already (a middleware did)."""
    text = getattr(response, "_cached_ubody", None)  # Scrapy's cache of response.text
    if text is not None:
        return "\ufffd" not in text
    if b"\xef\xbf\xbd" in parsed:
        return False
    try:
        parsed.decode("utf-8")  # half a 60 KB page's worth once the ticker is cut, and no text kept
    except UnicodeDecodeError:
        return False
    return True


# A ``<base`` tag, in ASCII letters of either case (as w3lib finds it in the text).
_BASE_TAG = re.compile(rb"<[bB][aA][sS][eE]")
# The bytes that hold the first 4,096 characters Scrapy's get_base_url reads (a character is 4
# bytes at most in UTF-8; a byte-order mark, which the text leaves out, 3).
_BASE_TAG_BYTES = 4 * 4096 + 3


def base_url(response: TextResponse) -> str:
    """The base URL of ``response``, what Scrapy's ``get_base_url`` gives (and so what
    ``response.urljoin`` joins with), without decoding its text nor parsing its URL again in
    the common case: a UTF-8 response answering a request for the same URL (which Scrapy made
    safe, unless the request's meta has ``verbatim_url``, and w3lib's ``safe_url_string`` leaves
    a safe URL as it is), no ``<base`` in the bytes of its first 4,096 characters (an ASCII tag,
    matched without case as w3lib does).

    >>> from scrapy.http import HtmlResponse, Request
    >>> request = Request("https://www.maghress.com/fr/h24info/1")
    >>> base_url(HtmlResponse(request.url, body=b"<p>x</p>", encoding="utf-8", request=request))
    'https://www.maghress.com/fr/h24info/1'
    >>> base_url(HtmlResponse(request.url, body=b'<base href="/fr/">', encoding="utf-8", request=request))
    'https://www.maghress.com/fr/'
    """
    request = response.request
    if (request is not None and response.url == request.url and not request.meta.get("verbatim_url")
            and codecs.lookup(response.encoding).name == "utf-8" and _BASE_TAG.search(response.body, 0, _BASE_TAG_BYTES) is None):
        return response.url
    return get_base_url(response)


def parse_html_bytes(body: bytes, base_url: str | None = None) -> etree._Element:
    """The root of UTF-8 HTML ``body`` as parsel's HTML selector parses it (lxml.html's
    parser: recover, huge_tree). Raises ``lxml.etree.XMLSyntaxError`` when libxml2 gives no
    document (an empty body)."""
    return etree.fromstring(body, parser=_HTML_PARSER, base_url=base_url)


class PageTree:
    """A page parsed once and shared by every extractor of it: ``response`` (None when built
    from a bare selector), ``selector`` (the page's own, not cached on the response, so that
    :meth:`release` frees it), ``root`` (lxml), ``base_url`` (the response's :func:`base_url`,
    found while parsing its bytes; None when Scrapy's selector parsed it), and the look-ups
    :meth:`by_class` and :meth:`by_id`.

    ``classes``: the class names the page's extractors will ask for (the family's,
    :data:`newsbot.family.selectors.CLASSES`, by default): one scan of the page finds them
    all, on first use; another name costs a scan of its own.

    >>> tree = PageTree(Selector(text='<div id="t" class="a b"><p class="b">x</p></div>'), classes=["a", "b"])
    >>> [e.tag for e in tree.by_class("b")], tree.by_id("t").tag, tree.by_class("c")
    (['div', 'p'], 'div', [])
    """

    def __init__(self, page: TextResponse | Selector, classes: Iterable[str] = selectors.CLASSES,
                 furniture: KnownFurniture | None = None) -> None:
        self.response = page if isinstance(page, TextResponse) else None
        self.furniture = furniture
        self.cut: FurnitureBox | None = None  # the known box cut out of the bytes before parsing
        self.uncut: tuple[bytes, int, int] | None = None  # (body, start, end) of a box seen for the first time
        self.base_url: str | None = None  # base_url(response), when the page was parsed from its bytes
        if isinstance(page, TextResponse):
            self.selector, self.base_url = _parse_response(page, self._cut_known if furniture is not None else None)
            if self.base_url is None:
                self.cut = self.uncut = None  # what the bytes held is read from Scrapy's tree instead
        else:
            self.selector = page
        self.root = self.selector.root
        self._indexed = frozenset(classes)
        self._classes: dict[str, list[etree._Element]] = {}

    def _cut_known(self, body: bytes) -> bytes:
        """``body`` with its ticker cut out when ``furniture`` has read that very markup before
        (:meth:`KnownFurniture.cut <newsbot.pages.furniture.KnownFurniture.cut>`)."""
        assert self.furniture is not None
        cut_body, self.cut, self.uncut = self.furniture.cut(body)
        return cut_body

    def by_class(self, name: str) -> list[etree._Element]:
        """Elements whose ``class`` has the token ``name``, in page order."""
        if name not in self._classes:
            if not isinstance(self.root, etree._Element):
                return []
            if name in self._indexed:
                found: dict[str, list[etree._Element]] = {indexed: [] for indexed in self._indexed}
                for el in _holding_any(self._indexed)(self.root):
                    for token in dict.fromkeys(el.get("class", "").split()):  # a token written twice counts once
                        if token in found:
                            found[token].append(el)
                self._classes.update(found)
            else:
                self._classes[name] = [el for el in _HOLDING(self.root, name=name) if name in el.get("class", "").split()]
        return self._classes[name]

    def release(self) -> None:
        """Drop the parsed document once every extractor has read it: lxml's tree of a page
        takes about four times the page's bytes (23 MB for a 5.7 MB page), which would otherwise
        stay alive while the item goes through the pipelines and the feed. Look-ups afterwards
        find nothing."""
        self.selector = self.root = None
        self.uncut = None
        self._classes.clear()

    def by_id(self, value: str) -> etree._Element | None:
        """The element with ``id`` ``value`` (the first one), or None."""
        if not isinstance(self.root, etree._Element):
            return None
        found = _BY_ID(self.root, value=value)
        return found[0] if found else None


# Signatures of what servers send under text/html by mistake (an image, a PDF, an archive, a
# body compressed without Content-Encoding).
_MAGIC = ((b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"%PDF-", "a PDF document"), (b"\x1f\x8b", "gzip data"), (b"PK\x03\x04", "a zip archive"),
          (b"\x28\xb5\x2f\xfd", "zstd data"), (b"RIFF", "a RIFF file (WebP, WAV...)"))
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0c\r\x1b")
SNIFFED_BYTES = 1024


def binary_kind(body: bytes) -> str | None:
    r"""What a body that should be an HTML page is instead, or None when it is text: a known
    file signature, or, for a body that does not start with markup (``<``), more than 1% of
    control bytes (not tab, newlines, form feed or escape) in its first :data:`SNIFFED_BYTES`.
    A page with stray NULs stays text; a UTF-16 or UTF-32 page (its BOM) is text.

    >>> binary_kind(b"\x89PNG\r\n\x1a\n\x00\x00"), binary_kind(bytes(range(256)) * 4)
    ('a PNG image', 'binary data')
    >>> binary_kind("<html><body>Le\x00Maroc\x00à\x00Fès</body></html>".encode()) is None
    True
    >>> binary_kind("<html>أخبار</html>".encode("utf-16")) is None
    True
    """
    head = body[:SNIFFED_BYTES]
    if read_bom(head)[0]:
        return None
    start = head.lstrip()
    for magic, kind in _MAGIC:
        if start.startswith(magic):
            return kind
    if start.startswith(b"<"):
        return None  # markup, whatever stray control bytes it holds (NULs are made spaces)
    controls = len(head) - len(head.translate(None, _CONTROL))
    return "binary data" if controls * 100 > len(head) else None


def unreadable(response: Response) -> tuple[str, str] | None:
    r"""Why a response that should be an HTML page (an article, a listing) cannot be read as
    one: ``("empty_page", detail)`` for a body with nothing but whitespace, ``("not_html",
    detail)`` for a body Scrapy did not take for text (its Content-Type: an image, a PDF...)
    or that is binary whatever its Content-Type says (:func:`binary_kind`); None when it reads.

    >>> from scrapy.http import HtmlResponse, Response
    >>> unreadable(Response("https://www.maghress.com/fr/x/1", body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}))
    ('not_html', 'served as application/pdf')
    >>> unreadable(HtmlResponse("https://www.maghress.com/fr/x/1", body=b"\x89PNG\r\n", headers={"Content-Type": "text/html"}))
    ('not_html', 'a PNG image served as text/html')
    >>> unreadable(HtmlResponse("https://www.maghress.com/fr/x/1", body=b"  ")), unreadable(HtmlResponse("https://x.ma/", body=b"<p>x</p>"))
    (('empty_page', '2 bytes, no Content-Type'), None)
    """
    content_type = response.headers.get("Content-Type", b"").decode("latin-1") or "no Content-Type"
    if not response.body or response.body.isspace():  # isspace stops at the first other byte: no copy
        return "empty_page", f"{len(response.body)} bytes, {content_type}"
    if not isinstance(response, TextResponse):
        return "not_html", f"served as {content_type}"
    kind = binary_kind(response.body)
    if kind is not None:
        return "not_html", f"{kind} served as {content_type}"
    return None


def page_tree(page: TextResponse | Selector | PageTree) -> PageTree:
    """``page`` as a :class:`PageTree` (built when a response or selector is given)."""
    return page if isinstance(page, PageTree) else PageTree(page)


def outermost(elements: Sequence[etree._Element]) -> list[etree._Element]:
    """``elements`` minus those inside another one of them, order kept."""
    if len(elements) < 2:
        return list(elements)
    inside = set(elements)
    return [el for el in elements if not any(a in inside for a in el.iterancestors())]

# Elements that start and end a block of text: each is its own line (paragraph).
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table",
     "tr", "td", "th", "section", "article", "pre", "figure", "figcaption", "header", "footer", "hr"}
)
# Elements whose text is never page text.
SKIP_TAGS = frozenset({"script", "style", "noscript", "iframe", "template", "button", "select", "textarea"})


def element_lines(element: etree._Element) -> list[str]:
    """The raw text lines of ``element``: every ``<br>`` ends a line, every block element
    (``<p>``, ``<div>``, ...) is a line of its own; inline markup (``<a>``, ``<b>``) stays
    inside its line. Whitespace and no-break spaces are kept as they are (a ticker
    pasted into a body is recognised by its runs of spaces); empty lines are kept too.

    >>> from lxml import html
    >>> element_lines(html.fromstring("<span>a<br/>b <a>c</a><p>d</p>e</span>"))
    ['a', 'b c', 'd', 'e']
    """
    lines: list[str] = []
    line: list[str] = [element.text] if element.text else []  # the pieces of the current line
    # An explicit stack, not recursion: pages nest markup thousands deep (unclosed tags). Each
    # entry: the children of an element being read (an iterator, resumed after a descent), whether
    # that element is a block, and its tail (read after it).
    stack: list[tuple[Iterator[etree._Element], bool, str | None]] = [(iter(element), False, None)]
    while stack:
        children, _, _ = stack[-1]
        for child in children:
            tag = child.tag.lower() if isinstance(child.tag, str) else None
            if tag == "br":
                lines.append("".join(line))
                line = []
            elif tag is not None and tag not in SKIP_TAGS:  # comments and skipped tags give nothing
                block = tag in BLOCK_TAGS
                if block:
                    lines.append("".join(line))
                    line = []
                if child.text:
                    line.append(child.text)
                stack.append((iter(child), block, child.tail))
                break  # its children first; this loop goes on from the next child after them
            if child.tail:
                line.append(child.tail)
        else:
            _, block, tail = stack.pop()
            if block:
                lines.append("".join(line))
                line = []
            if tail:
                line.append(tail)
    lines.append("".join(line))
    return lines


def text_of(elements: Iterable[etree._Element]) -> str:
    """All text of ``elements`` (scripts and styles left out), joined with spaces."""
    return " ".join(" ".join(element_lines(el)) for el in elements)
